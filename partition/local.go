package partition

import "context"

// localSearch moves single boundary nodes to a neighbouring part while that
// lowers the objective, keeping every part connected and non-empty. Parts that
// are a single node above Max never change.
func localSearch(ctx context.Context, g *Graph, b Band, s *Solution, passes int) {
	n := g.N()
	w, cnt := partSizes(g, s.Part, s.Parts)
	frozen := make([]bool, s.Parts)
	for v, p := range s.Part {
		if int(g.W[v]) > b.Max {
			frozen[p] = true
		}
	}
	var mom *moments
	if g.Sites != nil {
		mom = newMoments(g, s.Part, s.Parts)
	}
	search := newPartSearch(n)
	var cand []int32
	for pass := 0; pass < passes; pass++ {
		if ctx.Err() != nil {
			return
		}
		moved := 0
		for v := range int32(n) {
			p := s.Part[v]
			if frozen[p] || cnt[p] == 1 {
				continue
			}
			cand = cand[:0]
			a, e := g.arcs(v)
			for k := a; k < e; k++ {
				if q := s.Part[g.to[k]]; q != p && !frozen[q] && !contains(cand, q) {
					cand = append(cand, q)
				}
			}
			if len(cand) == 0 {
				continue
			}
			wv := int(g.W[v])
			bestQ, bestD := int32(-1), -1e-9
			for _, q := range cand {
				d := pen(b, w[p]-wv) - pen(b, w[p]) + pen(b, w[q]+wv) - pen(b, w[q])
				if mom != nil {
					d += mom.delta(v, p, q)
				}
				for k := a; k < e; k++ {
					switch s.Part[g.to[k]] {
					case p:
						d += g.cut[k] - g.in[k]
					case q:
						d += g.in[k] - g.cut[k]
					}
				}
				if d < bestD {
					bestQ, bestD = q, d
				}
			}
			if bestQ < 0 || !search.without(v, cnt[p], func(u int32) bool { return s.Part[u] == p }, g.eachNeighbour) {
				continue
			}
			if mom != nil {
				mom.add(v, p, -1)
				mom.add(v, bestQ, 1)
			}
			s.Part[v] = bestQ
			w[p] -= wv
			w[bestQ] += wv
			cnt[p]--
			cnt[bestQ]++
			moved++
		}
		if moved == 0 {
			return
		}
	}
}

func contains(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// partSearch tells whether a part stays in one piece once a node leaves it.
// It keeps its marks between searches (a node is marked when its stamp is the
// current epoch), so that a search costs only the nodes it visits.
type partSearch struct {
	stamp []int32
	epoch int32
	queue []int32
}

func newPartSearch(n int) *partSearch { return &partSearch{stamp: make([]int32, n)} }

// without reports whether the size nodes of a part, v among them, stay
// connected once v leaves: a search from a neighbour of v in the part (in
// accepts its nodes), through the neighbours that each visits, must reach
// the other size−1.
func (s *partSearch) without(v int32, size int, in func(int32) bool, each func(x int32, visit func(int32))) bool {
	s.epoch++
	s.stamp[v] = s.epoch
	s.queue = s.queue[:0]
	each(v, func(u int32) {
		if len(s.queue) == 0 && in(u) {
			s.stamp[u] = s.epoch
			s.queue = append(s.queue, u)
		}
	})
	for i := 0; i < len(s.queue); i++ {
		each(s.queue[i], func(u int32) {
			if s.stamp[u] != s.epoch && in(u) {
				s.stamp[u] = s.epoch
				s.queue = append(s.queue, u)
			}
		})
	}
	return len(s.queue) == size-1
}
