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
// all this the one with the least objective wins, each household moved
// adding perHousehold to it (0 in a solve; high in a rebalance, where the
// least change matters most). Parts marked in locked (nil for none) give
// nothing. It reports whether any part changed.
func rescue(g *Graph, b Band, s *Solution, locked []bool, perHousehold float64) bool {
	changed := false
	for p := range int32(s.Parts) {
		w, _ := partSizes(g, s.Part, s.Parts)
		if w[p] >= b.Min || isLocked(locked, p) {
			continue
		}
		may := func(v int32) bool { q := s.Part[v]; return q != p && !isLocked(locked, q) }
		path, _ := bestMove(g, b, s, p, may,
			func(c int) bool { return b.Contains(w[p] + c) },
			func(c int) bool { return w[p]+c >= b.Min }, movePrice(g, b, s, perHousehold))
		if path != nil {
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

func isLocked(locked []bool, p int32) bool { return locked != nil && locked[p] }

// A price scores a candidate move (the assignment with the move made, and
// the households it carries), lower being better; with the score to beat.
type price struct {
	of    func(trial []int32, carried int) float64
	start float64
}

// movePrice prices a move by the objective it leaves, plus perHousehold for
// each household moved; a move must lower the objective as it stands.
func movePrice(g *Graph, b Band, s *Solution, perHousehold float64) price {
	return price{
		of: func(trial []int32, carried int) float64 {
			return objective(g, b, trial, s.Parts) + perHousehold*float64(carried)
		},
		start: objective(g, b, s.Part, s.Parts),
	}
}

// bestMove searches breadth-first from part to through the nodes that may
// move, and returns the path of nodes whose move to `to` fits (fits is told
// the households the path carries), leaves every part that gives up a node
// connected, non-empty and in the band, and has the lowest price below its
// start (nil if none); with the path, its price. A path is not carried on
// once enough says so.
func bestMove(g *Graph, b Band, s *Solution, to int32, may func(v int32) bool, fits, enough func(carried int) bool, pr price) ([]int32, float64) {
	w, cnt := partSizes(g, s.Part, s.Parts)
	n := g.N()
	from := make([]int32, n) // BFS parent, -1 for a start next to `to`
	carried := make([]int, n)
	seen := make([]bool, n)
	var queue []int32
	next := func(u, x int32) {
		if seen[x] || s.Part[x] == to || g.W[x] > int32(b.Max) || !may(x) {
			return
		}
		c := int(g.W[x])
		if u >= 0 {
			c += carried[u]
		}
		seen[x], from[x], carried[x] = true, u, c
		queue = append(queue, x)
	}
	for v := range int32(n) {
		if s.Part[v] == to {
			a, e := g.arcs(v)
			for k := a; k < e; k++ {
				next(-1, g.to[k])
			}
		}
	}
	best, bestCost := []int32(nil), pr.start
	trial := slices.Clone(s.Part)
	for i := 0; i < len(queue) && i < rescueReach; i++ {
		u := queue[i]
		if fits(carried[u]) {
			path := pathTo(from, u)
			if feedable(g, b, s.Part, w, cnt, path) {
				for _, v := range path {
					trial[v] = to
				}
				if c := pr.of(trial, carried[u]); c < bestCost {
					best, bestCost = path, c
				}
				for _, v := range path {
					trial[v] = s.Part[v]
				}
			}
		}
		if enough(carried[u]) {
			continue // a longer path would only carry more
		}
		a, e := g.arcs(u)
		for k := a; k < e; k++ {
			next(u, g.to[k])
		}
	}
	return best, bestCost
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
