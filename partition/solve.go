package partition

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// SolveOptions tune Solve.
type SolveOptions struct {
	Band Band
	// Trees is how many spanning trees are cut exactly; the best is kept.
	// The first tree is deterministic, the others randomised from Seed.
	Trees int
	Seed  uint64
	// Passes bounds the local search over boundary moves.
	Passes int
}

func (o SolveOptions) withDefaults() SolveOptions {
	if o.Trees <= 0 {
		o.Trees = 8
	}
	if o.Passes <= 0 {
		o.Passes = 30
	}
	return o
}

// Solution assigns every node of a graph to a part (a grid).
type Solution struct {
	Part  []int32 // part of each node, numbered from 0
	Parts int
	Cost  float64 // boundary cost plus band penalties
}

// Solve partitions a connected graph (a community, or one connected piece of
// it) into parts whose weights lie in the band, at the least cost. Nodes
// heavier than Max become parts of their own. Parts always are connected.
func Solve(ctx context.Context, g *Graph, opt SolveOptions) (Solution, error) {
	opt = opt.withDefaults()
	best, err := solveTrees(ctx, g, opt)
	if err != nil || best.Cost < bandPenalty {
		return best, err
	}
	if err := repair(ctx, g, opt, &best); err != nil {
		return Solution{}, err
	}
	return best, nil
}

// solveTrees cuts several spanning trees exactly, polishes the best cut and,
// while the band is broken, tries more trees.
func solveTrees(ctx context.Context, g *Graph, opt SolveOptions) (Solution, error) {
	n := g.N()
	if n == 0 {
		return Solution{}, nil
	}
	var best Solution
	best.Cost = math.Inf(1)
	dp := newTreeDP(g, opt.Band)
	// cutTree cuts tree t exactly: tree 0 is deterministic, the others are
	// randomised from the seed.
	cutTree := func(t int) Solution {
		var rng *rand.Rand
		if t > 0 {
			rng = rand.New(rand.NewPCG(opt.Seed, uint64(t)))
		}
		part, parts := dp.cut(spanningTree(g, rng))
		return Solution{Part: part, Parts: parts}
	}
	for t := range opt.Trees {
		if err := ctx.Err(); err != nil {
			return Solution{}, err
		}
		s := cutTree(t)
		s.Cost = objective(g, opt.Band, s.Part, s.Parts)
		if s.Cost < best.Cost {
			best = s
		}
	}
	localSearch(ctx, g, opt.Band, &best, opt.Passes)
	best.Cost = objective(g, opt.Band, best.Part, best.Parts)
	// A piece left outside the band is worth more trees: the exact cut of a
	// different tree may fit where this one could not.
	for t := opt.Trees; best.Cost >= bandPenalty && t < 8*opt.Trees; t++ {
		if err := ctx.Err(); err != nil {
			return Solution{}, err
		}
		s := cutTree(t)
		localSearch(ctx, g, opt.Band, &s, opt.Passes)
		if s.Cost = objective(g, opt.Band, s.Part, s.Parts); s.Cost < best.Cost {
			best = s
		}
	}
	return best, nil
}

// A tree is a spanning forest of a graph, rooted, with what each node's link
// to its parent stands for: its own Cut and In costs plus those of the links
// outside the tree whose ends the link separates (see spanningTree).
type tree struct {
	parent []int32 // -1 at roots
	order  []int32 // preorder
	cut    []float64
	in     []float64
}

// repair first feeds parts below the band along paths from their neighbours
// (see rescue), then re-solves the neighbourhood of each part still outside
// the band: the part and every part next to it, as one problem. A pocket between heavy grids
// that no single spanning tree could fit often fits once its neighbours are
// cut anew around it. A new cut of a neighbourhood is kept when it breaks the
// band by fewer households; the parts elsewhere never change.
func repair(ctx context.Context, g *Graph, opt SolveOptions, s *Solution) error {
	for round := 0; round < 3; round++ {
		changed := rescue(g, opt.Band, s, nil, 0)
		w, cnt := partSizes(g, s.Part, s.Parts)
		for p := range int32(s.Parts) {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opt.Band.Allows(w[p], cnt[p]) {
				continue
			}
			region := map[int32]bool{p: true}
			for v := range int32(g.N()) {
				if s.Part[v] != p {
					continue
				}
				a, e := g.arcs(v)
				for k := a; k < e; k++ {
					region[s.Part[g.to[k]]] = true
				}
			}
			var nodes []int32
			for v := range int32(g.N()) {
				if region[s.Part[v]] {
					nodes = append(nodes, v)
				}
			}
			var labels []int32 // the region's parts, in order
			var rw, rcnt []int
			for q := range int32(s.Parts) {
				if region[q] {
					labels = append(labels, q)
					rw, rcnt = append(rw, w[q]), append(rcnt, cnt[q])
				}
			}
			sub := g.Subgraph(nodes)
			sol, err := solveTrees(ctx, sub, opt)
			if err != nil {
				return err
			}
			sw, scnt := partSizes(sub, sol.Part, sol.Parts)
			if breach(opt.Band, sw, scnt) >= breach(opt.Band, rw, rcnt) {
				continue
			}
			// Reuse the region's labels, then add new ones as needed.
			for len(labels) < sol.Parts {
				labels = append(labels, int32(s.Parts))
				s.Parts++
			}
			for i, v := range nodes {
				s.Part[v] = labels[sol.Part[i]]
			}
			s.Parts = relabel(s.Part)
			changed = true
			break // labels moved: start over from the new assignment
		}
		if !changed {
			break
		}
	}
	s.Cost = objective(g, opt.Band, s.Part, s.Parts)
	return nil
}

// breach is the band penalty of parts of w households and cnt nodes, those
// that are one node above Max aside, and those left with no node (merged
// away: no grid, so nothing out of the band).
func breach(b Band, w, cnt []int) float64 {
	var c float64
	for q := range w {
		if cnt[q] > 0 && !b.Allows(w[q], cnt[q]) {
			c += pen(b, w[q])
		}
	}
	return c
}

// relabel numbers the parts in use from 0, in order of their first node, and
// returns how many there are.
func relabel(part []int32) int {
	ids := map[int32]int32{}
	for v, p := range part {
		id, ok := ids[p]
		if !ok {
			id = int32(len(ids))
			ids[p] = id
		}
		part[v] = id
	}
	return len(ids)
}

// spanningTree returns a spanning forest built by Kruskal's method. Links
// that are dear to cut and cheap to keep inside a grid (short streets between
// close blocks, open ground) are taken first, so the tree runs inside
// would-be grids and the barriers worth following are left between them.
// rng, when not nil, jitters the order so that each tree differs.
//
// A cut of the tree only sees tree links, yet a main road between two
// neighbourhoods is many links, of which the tree keeps one. So every link
// left out of the tree charges its costs to the link that joined its two ends
// last, which is the most expensive tree link on the path between them (the
// bottleneck of a minimum spanning tree): cutting that one link is what puts
// the road on a grid boundary, keeping it is what puts the road inside a grid.
func spanningTree(g *Graph, rng *rand.Rand) tree {
	type arc struct {
		key  float64
		u, v int32
		k    int32 // the arc's index in g
	}
	arcs := make([]arc, 0, len(g.to)/2)
	for u := range int32(g.N()) {
		a, b := g.arcs(u)
		for k := a; k < b; k++ {
			if v := g.to[k]; u < v {
				key := g.in[k] - g.cut[k]
				if rng != nil {
					key *= 0.5 + rng.Float64()
					key += (rng.Float64() - 0.5) * 20
				}
				arcs = append(arcs, arc{key, u, v, k})
			}
		}
	}
	slices.SortStableFunc(arcs, func(a, b arc) int { return cmp.Compare(a.key, b.key) })
	n := g.N()
	m := newMergeForest(n)
	adj := make([][]int32, n)
	var joins []arc // tree links in the order they joined
	type charge struct {
		join int32 // index into joins
		k    int32
	}
	var charges []charge
	for _, a := range arcs {
		if m.union(a.u, a.v, int32(len(joins))) {
			adj[a.u] = append(adj[a.u], a.v)
			adj[a.v] = append(adj[a.v], a.u)
			joins = append(joins, a)
		} else {
			charges = append(charges, charge{m.lastJoin(a.u, a.v), a.k})
		}
	}
	t := tree{
		parent: make([]int32, n),
		order:  make([]int32, 0, n),
		cut:    make([]float64, n),
		in:     make([]float64, n),
	}
	for i := range t.parent {
		t.parent[i] = -2
	}
	var stack []int32
	for r := range int32(n) {
		if t.parent[r] != -2 {
			continue
		}
		t.parent[r] = -1
		stack = append(stack[:0], r)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			t.order = append(t.order, v)
			for _, u := range adj[v] {
				if t.parent[u] == -2 {
					t.parent[u] = v
					stack = append(stack, u)
				}
			}
		}
	}
	// child returns the node below tree link j.
	child := func(j int32) int32 {
		if a := joins[j]; t.parent[a.u] == a.v {
			return a.u
		}
		return joins[j].v
	}
	for j, a := range joins {
		c := child(int32(j))
		t.cut[c], t.in[c] = g.cut[a.k], g.in[a.k]
	}
	for _, ch := range charges {
		c := child(ch.join)
		t.cut[c] += g.cut[ch.k]
		t.in[c] += g.in[ch.k]
	}
	return t
}

// A mergeForest is a union–find without path compression that remembers
// when each root was linked below another, so that it can tell which union
// joined two nodes. Union by size keeps it O(log n) deep.
type mergeForest struct {
	up   []int32
	when []int32 // the union that linked a node below up[node]
	size []int32
}

func newMergeForest(n int) *mergeForest {
	m := &mergeForest{up: make([]int32, n), when: make([]int32, n), size: make([]int32, n)}
	for i := range m.up {
		m.up[i], m.size[i] = int32(i), 1
	}
	return m
}

func (m *mergeForest) root(x int32) int32 {
	for m.up[x] != x {
		x = m.up[x]
	}
	return x
}

// union joins the sets of a and b as union number t, unless they are one.
func (m *mergeForest) union(a, b, t int32) bool {
	a, b = m.root(a), m.root(b)
	if a == b {
		return false
	}
	if m.size[a] < m.size[b] {
		a, b = b, a
	}
	m.up[b], m.when[b] = a, t
	m.size[a] += m.size[b]
	return true
}

// lastJoin returns the union that put a and b, already in one set, together:
// the latest link on their paths up to where the paths meet.
func (m *mergeForest) lastJoin(a, b int32) int32 {
	last := int32(-1)
	for a != b {
		// Climb from the node linked earlier: the paths meet at the node
		// whose link is later than both, and times grow going up.
		if m.up[a] == a || (m.up[b] != b && m.when[b] < m.when[a]) {
			a, b = b, a
		}
		last = max(last, m.when[a])
		a = m.up[a]
	}
	return last
}

// pen is the band penalty of a closed part of h households (certified
// oversized nodes are not charged: see treeDP).
func pen(b Band, h int) float64 {
	var p float64
	switch {
	case h < b.Min:
		p = bandPenalty * float64(b.Min-h)
	case h > b.Max:
		p = bandPenalty * float64(h-b.Max)
	}
	if b.Target > 0 {
		d := float64(h - b.Target)
		p += 0.002 * d * d
	}
	return p
}

// objective is the full cost of an assignment: every link pays Cut or In,
// every part its band penalty (parts that are one node above Max excepted)
// and, on a placed graph, its spread.
func objective(g *Graph, b Band, part []int32, parts int) float64 {
	c := compactness(g, part, parts)
	for u := range int32(g.N()) {
		a, e := g.arcs(u)
		for k := a; k < e; k++ {
			if v := g.to[k]; u < v {
				if part[u] == part[v] {
					c += g.in[k]
				} else {
					c += g.cut[k]
				}
			}
		}
	}
	w, cnt := partSizes(g, part, parts)
	for p := range parts {
		if cnt[p] == 1 && w[p] > b.Max {
			continue
		}
		c += pen(b, w[p])
	}
	return c
}

// partSizes returns the households and the number of nodes of every part.
func partSizes(g *Graph, part []int32, parts int) (w, cnt []int) {
	w = make([]int, parts)
	cnt = make([]int, parts)
	for v, p := range part {
		w[p] += int(g.W[v])
		cnt[p]++
	}
	return w, cnt
}
