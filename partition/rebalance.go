package partition

import (
	"context"
	"math"
	"slices"
)

// Rebalance mends the parts of a partition that left the band (after
// households changed) with as little change as it can find. First it moves
// short paths of blocks: into a part below the band from a neighbour that
// can spare them, or out of a part above it to a neighbour with room. Where
// no such path exists it tries both an ejection chain of two moves and a
// re-solve of the part with its neighbours that keeps old boundaries where
// it can, and keeps whichever mends the band and moves fewer households.
// Parts marked locked never change; parts in the band and not next to an
// offender never change. part is the part of every node, numbered below
// parts; the mended assignment is returned in a new slice, with the same
// numbering (a re-solve may add parts at the end).
func Rebalance(ctx context.Context, g *Graph, part []int32, parts int, band Band, locked []bool) ([]int32, int, error) {
	s := &Solution{Part: slices.Clone(part), Parts: parts}
	if locked == nil {
		locked = make([]bool, parts)
	}
	for round := 0; round < 8; round++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		changed := rescue(g, band, s, locked, changeCost)
		changed = shed(g, band, s, locked, changeCost) || changed
		if !changed {
			break
		}
	}
	for p := range int32(s.Parts) {
		w, cnt := partSizes(g, s.Part, s.Parts)
		if p >= int32(len(locked)) || locked[p] || cnt[p] == 0 || band.Allows(w[p], cnt[p]) {
			continue
		}
		var options []*Solution
		if c := (&Solution{Part: slices.Clone(s.Part), Parts: s.Parts}); chain(g, band, c, locked, p) {
			options = append(options, c)
		}
		// Re-solve p with all its unlocked neighbours, and with each
		// alone: the smaller problems often find the smaller change.
		regions := [][]int32{nil}
		for _, q := range neighbours(g, s.Part, p) {
			if q < int32(len(locked)) && !locked[q] {
				regions = append(regions, []int32{q})
			}
		}
		for _, with := range regions {
			r, err := resolve(ctx, g, band, s, locked, p, with)
			if err != nil {
				return nil, 0, err
			}
			if r != nil {
				options = append(options, r)
			}
		}
		for _, o := range options {
			undoMoves(g, band, o, s.Part)
		}
		bw, bcnt := partSizes(g, s.Part, s.Parts)
		best, bestBreach, bestMoved := (*Solution)(nil), breach(band, bw, bcnt), math.MaxInt
		for _, o := range options {
			ow, ocnt := partSizes(g, o.Part, o.Parts)
			br, moved := breach(band, ow, ocnt), 0
			for v := range o.Part {
				if o.Part[v] != s.Part[v] {
					moved += int(g.W[v])
				}
			}
			if br < bestBreach || br == bestBreach && best != nil && moved < bestMoved {
				best, bestBreach, bestMoved = o, br, moved
			}
		}
		if best != nil {
			for len(locked) < best.Parts {
				locked = append(locked, false)
			}
			s = best
		}
	}
	return s.Part, s.Parts, nil
}

// resolve re-solves part p with the parts in with (nil: all its unlocked
// neighbours), drawing new boundaries along old ones where it can (see
// keepTogether). It returns the new assignment, or nil if it does not break
// the band by less.
func resolve(ctx context.Context, g *Graph, band Band, s *Solution, locked []bool, p int32, with []int32) (*Solution, error) {
	w, cnt := partSizes(g, s.Part, s.Parts)
	region := map[int32]bool{p: true}
	for _, q := range with {
		region[q] = true
	}
	for v := range int32(g.N()) {
		if with != nil || s.Part[v] != p {
			continue
		}
		a, e := g.arcs(v)
		for k := a; k < e; k++ {
			if q := s.Part[g.to[k]]; q < int32(len(locked)) && !locked[q] {
				region[q] = true
			}
		}
	}
	var nodes, labels []int32
	var rw, rcnt []int
	for v := range int32(g.N()) {
		if region[s.Part[v]] {
			nodes = append(nodes, v)
		}
	}
	for q := range int32(s.Parts) {
		if region[q] {
			labels = append(labels, q)
			rw, rcnt = append(rw, w[q]), append(rcnt, cnt[q])
		}
	}
	sub := g.Subgraph(nodes)
	keepTogether(sub, s.Part, nodes)
	// Keep every grid where the band allows: the cheapest re-solve often
	// pours a short grid whole into a neighbour, which costs a grid and its
	// worker. A ceiling under which one grid fewer cannot hold the region
	// rules that out; a merge is the last resort.
	total := 0
	for _, h := range rw {
		total += h
	}
	bands := []Band{band}
	if n := len(labels); n > 1 && total >= n*band.Min {
		if keep := min(band.Max, (total-1)/(n-1)); keep >= band.Min && keep < band.Max {
			bands = []Band{{Min: band.Min, Max: keep}, band}
		}
	}
	var sol Solution
	found := false
	for _, bd := range bands {
		var err error
		if sol, err = Solve(ctx, sub, SolveOptions{Band: bd}); err != nil {
			return nil, err
		}
		sw, scnt := partSizes(sub, sol.Part, sol.Parts)
		if found = breach(band, sw, scnt) < breach(band, rw, rcnt); found {
			break
		}
	}
	if !found {
		return nil, nil
	}
	// Each new part takes the label of the old part it shares most
	// households with (greedily, largest overlap first), so that as few
	// households as possible change grid; the rest get new labels.
	out := &Solution{Part: slices.Clone(s.Part), Parts: s.Parts}
	name := matchLabels(sub, sol, s.Part, nodes, labels)
	for i := range name {
		if name[i] < 0 {
			name[i] = int32(out.Parts)
			out.Parts++
		}
	}
	for i, v := range nodes {
		out.Part[v] = name[sol.Part[i]]
	}
	return out, nil
}

// undoMoves puts blocks that s moved off their part in old back where they
// were, heaviest first, while the part they return to and the one they leave
// stay in the band (or as far out of it as they were) and connected: a
// re-solve weighs links, not households, and may move more than it needs.
func undoMoves(g *Graph, band Band, s *Solution, old []int32) {
	w, cnt := partSizes(g, s.Part, s.Parts)
	var moved []int32
	for v := range s.Part {
		if s.Part[v] != old[v] && old[v] < int32(s.Parts) {
			moved = append(moved, int32(v))
		}
	}
	slices.SortStableFunc(moved, func(a, b int32) int { return int(g.W[b]) - int(g.W[a]) })
	search := newPartSearch(g.N())
	ok := func(q int32, h, n int) bool { return band.Allows(h, n) || pen(band, h) <= pen(band, w[q]) }
	for again := true; again; {
		again = false
		for _, v := range moved {
			p, q := s.Part[v], old[v]
			if p == q || cnt[p] == 1 || cnt[q] == 0 {
				continue
			}
			wv := int(g.W[v])
			touches := false
			g.eachNeighbour(v, func(u int32) { touches = touches || s.Part[u] == q })
			if !touches || !ok(p, w[p]-wv, cnt[p]-1) || !ok(q, w[q]+wv, cnt[q]+1) ||
				!search.without(v, cnt[p], func(u int32) bool { return s.Part[u] == p }, g.eachNeighbour) {
				continue
			}
			s.Part[v] = q
			w[p], w[q] = w[p]-wv, w[q]+wv
			cnt[p], cnt[q] = cnt[p]-1, cnt[q]+1
			again = true
		}
	}
}

// changeCost is what cutting a link between two blocks of one grid costs in
// a rebalance: far above any barrier's cost, so that the re-solve draws new
// boundaries along the old ones wherever the band allows, and as few
// households as possible change grid.
const changeCost = 1000

// keepTogether raises the cut cost of the links of sub (a subgraph of nodes)
// whose ends lie in one part of old.
func keepTogether(sub *Graph, old []int32, nodes []int32) {
	for i := range int32(sub.N()) {
		a, e := sub.arcs(i)
		for k := a; k < e; k++ {
			if old[nodes[i]] == old[nodes[sub.to[k]]] {
				sub.cut[k] += changeCost
			}
		}
	}
}

// matchLabels names the parts of sol, a re-solve of nodes, after the old
// parts (labels) they overlap most in households; -1 where none is left.
func matchLabels(sub *Graph, sol Solution, old []int32, nodes []int32, labels []int32) []int32 {
	type pair struct {
		newPart, old int32
		shared       int
	}
	shared := map[[2]int32]int{}
	for i, v := range nodes {
		shared[[2]int32{sol.Part[i], old[v]}] += int(sub.W[i]) + 1 // +1: empty blocks count a little
	}
	pairs := make([]pair, 0, len(shared))
	for k, h := range shared {
		pairs = append(pairs, pair{k[0], k[1], h})
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.shared != b.shared {
			return b.shared - a.shared
		}
		if a.newPart != b.newPart {
			return int(a.newPart - b.newPart)
		}
		return int(a.old - b.old)
	})
	name := make([]int32, sol.Parts)
	for i := range name {
		name[i] = -1
	}
	taken := map[int32]bool{}
	for _, p := range pairs {
		if name[p.newPart] < 0 && !taken[p.old] && slices.Contains(labels, p.old) {
			name[p.newPart], taken[p.old] = p.old, true
		}
	}
	return name
}

// shed moves, out of each part above the band, the path of its nodes that
// a neighbour with room can take while both end in the band and the part
// stays connected; of such paths, the one with the least objective plus
// perHousehold for each household moved.
func shed(g *Graph, b Band, s *Solution, locked []bool, perHousehold float64) bool {
	changed := false
	for p := range int32(s.Parts) {
		w, cnt := partSizes(g, s.Part, s.Parts)
		if w[p] <= b.Max || cnt[p] == 1 || isLocked(locked, p) {
			continue
		}
		if path, q, _ := bestShed(g, b, s, locked, p, -1, perHousehold); path != nil {
			for _, v := range path {
				s.Part[v] = q
			}
			changed = true
		}
	}
	if changed {
		s.Cost = objective(g, b, s.Part, s.Parts)
	}
	return changed
}

// bestShed finds the path out of part p (above the band) into a neighbour
// other than skip with room for it, at the least price; with the neighbour
// and the households the path carries.
func bestShed(g *Graph, b Band, s *Solution, locked []bool, p, skip int32, perHousehold float64) ([]int32, int32, int) {
	w, _ := partSizes(g, s.Part, s.Parts)
	var best []int32
	var bestTo int32
	pr := movePrice(g, b, s, perHousehold)
	bestCost := pr.start
	for _, q := range neighbours(g, s.Part, p) {
		if q == skip || isLocked(locked, q) {
			continue
		}
		path, c := bestMove(g, b, s, q, func(v int32) bool { return s.Part[v] == p },
			func(c int) bool { return b.Contains(w[q]+c) && b.Contains(w[p]-c) },
			func(c int) bool { return w[q]+c > b.Max }, pr)
		if path != nil && c < bestCost {
			best, bestTo, bestCost = path, q, c
		}
	}
	return best, bestTo, carried(g, best)
}

// chain mends part p, above the band with neighbours that have no room: it
// pushes a path into neighbour q, which sheds a path in turn into another
// of its neighbours, choosing the pair of moves that carries the fewest
// households (an ejection chain of two). It reports whether it did.
func chain(g *Graph, b Band, s *Solution, locked []bool, p int32) bool {
	w, cnt := partSizes(g, s.Part, s.Parts)
	if w[p] <= b.Max || cnt[p] == 1 || isLocked(locked, p) {
		return false
	}
	var first, second []int32
	var q1, q2 int32
	least := math.MaxInt
	for _, q := range neighbours(g, s.Part, p) {
		if isLocked(locked, q) {
			continue
		}
		// The fewest households that bring p into the band, into q.
		fewest := price{of: func(_ []int32, c int) float64 { return float64(c) }, start: math.Inf(1)}
		path, _ := bestMove(g, b, s, q, func(v int32) bool { return s.Part[v] == p },
			func(c int) bool { return b.Contains(w[p] - c) },
			func(c int) bool { return w[p]-c <= b.Max }, fewest)
		if path == nil {
			continue
		}
		for _, v := range path {
			s.Part[v] = q
		}
		next, r, c2 := bestShed(g, b, s, locked, q, p, changeCost)
		for _, v := range path {
			s.Part[v] = p
		}
		if next == nil {
			continue
		}
		if c := carried(g, path) + c2; c < least {
			least, first, second, q1, q2 = c, path, next, q, r
		}
	}
	if first == nil {
		return false
	}
	for _, v := range first {
		s.Part[v] = q1
	}
	for _, v := range second {
		s.Part[v] = q2
	}
	s.Cost = objective(g, b, s.Part, s.Parts)
	return true
}

// carried is the households of nodes.
func carried(g *Graph, nodes []int32) int {
	h := 0
	for _, v := range nodes {
		h += int(g.W[v])
	}
	return h
}

// neighbours returns the parts next to part p, in order.
func neighbours(g *Graph, part []int32, p int32) []int32 {
	var out []int32
	for v := range int32(g.N()) {
		if part[v] != p {
			continue
		}
		a, e := g.arcs(v)
		for k := a; k < e; k++ {
			if q := part[g.to[k]]; q != p && !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	slices.Sort(out)
	return out
}
