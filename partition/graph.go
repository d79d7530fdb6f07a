package partition

import (
	"cmp"
	"slices"
)

// A Link joins two nodes of a Graph: Cut is the cost of making it a grid
// boundary, In the cost of keeping it inside a grid.
type Link struct {
	U, V    int32
	Cut, In float64
}

// Graph is a weighted block graph in compressed sparse row form. Weights are
// households; links are symmetric.
type Graph struct {
	W []int32
	// Sites, when set, place each node (its centroid and area, in metres):
	// the local search then also keeps grids compact.
	Sites []Site
	off   []int32
	to    []int32
	cut   []float64
	in    []float64
}

// NewGraph builds a graph of n nodes with weights w from links. Parallel links
// between the same two nodes are summed, in the order given, so that a piece
// whose links are the same gets the same costs to the last bit whatever other
// links the graph holds (see memo); self-links are dropped.
func NewGraph(w []int32, links []Link) *Graph {
	n := len(w)
	ls := make([]Link, 0, 2*len(links))
	for _, l := range links {
		if l.U == l.V {
			continue
		}
		ls = append(ls, l, Link{U: l.V, V: l.U, Cut: l.Cut, In: l.In})
	}
	slices.SortStableFunc(ls, func(a, b Link) int {
		if c := cmp.Compare(a.U, b.U); c != 0 {
			return c
		}
		return cmp.Compare(a.V, b.V)
	})
	g := &Graph{W: w, off: make([]int32, n+1)}
	for i := 0; i < len(ls); {
		j := i + 1
		l := ls[i]
		for j < len(ls) && ls[j].U == l.U && ls[j].V == l.V {
			l.Cut += ls[j].Cut
			l.In += ls[j].In
			j++
		}
		g.to = append(g.to, l.V)
		g.cut = append(g.cut, l.Cut)
		g.in = append(g.in, l.In)
		g.off[l.U+1]++
		i = j
	}
	for i := range n {
		g.off[i+1] += g.off[i]
	}
	return g
}

// A Site is where a node lies: its centroid and its area.
type Site struct{ X, Y, Area float64 }

// N is the number of nodes.
func (g *Graph) N() int { return len(g.W) }

// arcs returns the range of v's arcs.
func (g *Graph) arcs(v int32) (int32, int32) { return g.off[v], g.off[v+1] }

// eachNeighbour calls visit with every node linked to v.
func (g *Graph) eachNeighbour(v int32, visit func(int32)) {
	a, e := g.arcs(v)
	for k := a; k < e; k++ {
		visit(g.to[k])
	}
}

// Components returns the connected components, each sorted, in order of their
// smallest node.
func (g *Graph) Components() [][]int32 {
	seen := make([]bool, g.N())
	var out [][]int32
	var stack []int32
	for s := range int32(g.N()) {
		if seen[s] {
			continue
		}
		comp := []int32{s}
		seen[s] = true
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			a, b := g.arcs(v)
			for k := a; k < b; k++ {
				if u := g.to[k]; !seen[u] {
					seen[u] = true
					comp = append(comp, u)
					stack = append(stack, u)
				}
			}
		}
		slices.Sort(comp)
		out = append(out, comp)
	}
	return out
}

// Subgraph returns the graph induced by nodes (sorted) and, for each of its
// nodes, the node of g it came from.
func (g *Graph) Subgraph(nodes []int32) *Graph {
	idx := make(map[int32]int32, len(nodes))
	for i, v := range nodes {
		idx[v] = int32(i)
	}
	w := make([]int32, len(nodes))
	var sites []Site
	if g.Sites != nil {
		sites = make([]Site, len(nodes))
	}
	var links []Link
	for i, v := range nodes {
		w[i] = g.W[v]
		if sites != nil {
			sites[i] = g.Sites[v]
		}
		a, b := g.arcs(v)
		for k := a; k < b; k++ {
			if j, ok := idx[g.to[k]]; ok && int32(i) < j {
				links = append(links, Link{U: int32(i), V: j, Cut: g.cut[k], In: g.in[k]})
			}
		}
	}
	sub := NewGraph(w, links)
	sub.Sites = sites
	return sub
}

// equal reports whether g and h are the same graph, node for node.
func (g *Graph) equal(h *Graph) bool {
	return slices.Equal(g.W, h.W) && slices.Equal(g.Sites, h.Sites) && slices.Equal(g.off, h.off) &&
		slices.Equal(g.to, h.to) && slices.Equal(g.cut, h.cut) && slices.Equal(g.in, h.in)
}
