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
	stamp := make([]int32, n)
	epoch := int32(0)
	var queue []int32
	// connectedWithout reports whether part p stays connected once v leaves.
	connectedWithout := func(v int32, p int32) bool {
		epoch++
		stamp[v] = epoch
		queue = queue[:0]
		a, e := g.arcs(v)
		for k := a; k < e; k++ {
			if u := g.to[k]; s.Part[u] == p {
				stamp[u] = epoch
				queue = append(queue, u)
				break
			}
		}
		reached := len(queue)
		for i := 0; i < len(queue); i++ {
			x := queue[i]
			a, e := g.arcs(x)
			for k := a; k < e; k++ {
				if u := g.to[k]; s.Part[u] == p && stamp[u] != epoch {
					stamp[u] = epoch
					queue = append(queue, u)
					reached++
				}
			}
		}
		return reached == cnt[p]-1
	}
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
			if bestQ < 0 || !connectedWithout(v, p) {
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
