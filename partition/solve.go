package partition

import (
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

// spanningTree returns a spanning forest as parent pointers (-1 at roots) and
// a preorder of its nodes. Links that are dear to cut and cheap to keep
// inside a grid (short streets between close blocks, open ground) are taken
// first, so the tree runs inside would-be grids and the barriers worth
// following are left between them. rng, when not nil, jitters the order so
// that each tree differs.
func spanningTree(g *Graph, rng *rand.Rand) (parent, order []int32) {
	type arc struct {
		key  float64
		u, v int32
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
				arcs = append(arcs, arc{key, u, v})
			}
		}
	}
	slices.SortStableFunc(arcs, func(a, b arc) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	uf := newUnionFind(g.N())
	adj := make([][]int32, g.N())
	for _, a := range arcs {
		if uf.union(a.u, a.v) {
			adj[a.u] = append(adj[a.u], a.v)
			adj[a.v] = append(adj[a.v], a.u)
		}
	}
	parent = make([]int32, g.N())
	for i := range parent {
		parent[i] = -2
	}
	order = make([]int32, 0, g.N())
	var stack []int32
	for r := range int32(g.N()) {
		if parent[r] != -2 {
			continue
		}
		parent[r] = -1
		stack = append(stack[:0], r)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			order = append(order, v)
			for _, u := range adj[v] {
				if parent[u] == -2 {
					parent[u] = v
					stack = append(stack, u)
				}
			}
		}
	}
	return parent, order
}

type unionFind struct{ p []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{p: make([]int32, n)}
	for i := range u.p {
		u.p[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.p[x] != x {
		u.p[x] = u.p[u.p[x]]
		x = u.p[x]
	}
	return x
}

func (u *unionFind) union(a, b int32) bool {
	a, b = u.find(a), u.find(b)
	if a == b {
		return false
	}
	u.p[b] = a
	return true
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
// every part its band penalty (parts that are one node above Max excepted).
func objective(g *Graph, b Band, part []int32, parts int) float64 {
	var c float64
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
