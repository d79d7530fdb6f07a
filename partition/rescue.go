package partition

import "slices"

// rescueReach caps how many nodes rescue explores around one part.
const rescueReach = 4096

// rescue feeds each part below the band with a path of nodes taken from its
// neighbours. It mends what neither a tree cut nor single-node moves can: a
// pocket whose one populated neighbour is too heavy to join it, while a
// lighter block lies two or three empty blocks (a yard, a square) away. The
// path moves whole; the pocket reaches the band, every part that gives up a
// node stays connected, non-empty and in the band, and of the paths that do
// all this the one with the least objective wins. It reports whether any part
// changed.
func rescue(g *Graph, b Band, s *Solution) bool {
	changed := false
	for p := range int32(s.Parts) {
		w, _ := partSizes(g, s.Part, s.Parts)
		if w[p] >= b.Min {
			continue
		}
		if path := bestFeed(g, b, s, p); path != nil {
			for _, v := range path {
				s.Part[v] = p
			}
			changed = true
		}
	}
	if changed {
		s.Cost = objective(g, b, s.Part, s.Parts)
	}
	return changed
}

// bestFeed searches breadth-first from part p through the other parts and
// returns the best path of nodes whose move to p brings p into the band (nil
// if none does).
func bestFeed(g *Graph, b Band, s *Solution, p int32) []int32 {
	w, cnt := partSizes(g, s.Part, s.Parts)
	n := g.N()
	from := make([]int32, n) // BFS parent, -1 for a start next to p
	carried := make([]int, n)
	seen := make([]bool, n)
	var queue []int32
	for v := range int32(n) {
		if s.Part[v] != p {
			continue
		}
		a, e := g.arcs(v)
		for k := a; k < e; k++ {
			u := g.to[k]
			if s.Part[u] == p || seen[u] || g.W[u] > int32(b.Max) {
				continue
			}
			seen[u], from[u], carried[u] = true, -1, int(g.W[u])
			queue = append(queue, u)
		}
	}
	best, bestCost := []int32(nil), objective(g, b, s.Part, s.Parts)
	trial := slices.Clone(s.Part)
	for i := 0; i < len(queue) && i < rescueReach; i++ {
		u := queue[i]
		if h := w[p] + carried[u]; h >= b.Min && h <= b.Max {
			path := pathTo(from, u)
			if feedable(g, b, s.Part, w, cnt, path) {
				for _, v := range path {
					trial[v] = p
				}
				if c := objective(g, b, trial, s.Parts); c < bestCost {
					best, bestCost = path, c
				}
				for _, v := range path {
					trial[v] = s.Part[v]
				}
			}
		}
		if w[p]+carried[u] >= b.Min {
			continue // a longer path would only carry more
		}
		a, e := g.arcs(u)
		for k := a; k < e; k++ {
			x := g.to[k]
			if s.Part[x] == p || seen[x] || g.W[x] > int32(b.Max) {
				continue
			}
			seen[x], from[x], carried[x] = true, u, carried[u]+int(g.W[x])
			queue = append(queue, x)
		}
	}
	return best
}

// pathTo follows BFS parents from u back to the start.
func pathTo(from []int32, u int32) []int32 {
	var path []int32
	for v := u; v >= 0; v = from[v] {
		path = append(path, v)
	}
	return path
}

// feedable reports whether every part that loses nodes of path keeps some,
// stays in the band and stays connected.
func feedable(g *Graph, b Band, part []int32, w, cnt []int, path []int32) bool {
	lostW, lostN := map[int32]int{}, map[int32]int{}
	leaving := make(map[int32]bool, len(path))
	for _, v := range path {
		q := part[v]
		lostW[q] += int(g.W[v])
		lostN[q]++
		leaving[v] = true
	}
	for q, lw := range lostW {
		if lostN[q] >= cnt[q] || !b.Contains(w[q]-lw) {
			return false
		}
		if !connectedRest(g, part, q, cnt[q]-lostN[q], leaving) {
			return false
		}
	}
	return true
}

// connectedRest reports whether the nodes of part q that are not leaving (rest
// of them) are connected.
func connectedRest(g *Graph, part []int32, q int32, rest int, leaving map[int32]bool) bool {
	start := int32(-1)
	for v := range int32(g.N()) {
		if part[v] == q && !leaving[v] {
			start = v
			break
		}
	}
	seen := map[int32]bool{start: true}
	queue := []int32{start}
	for i := 0; i < len(queue); i++ {
		a, e := g.arcs(queue[i])
		for k := a; k < e; k++ {
			if u := g.to[k]; part[u] == q && !leaving[u] && !seen[u] {
				seen[u] = true
				queue = append(queue, u)
			}
		}
	}
	return len(queue) == rest
}
