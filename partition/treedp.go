package partition

import "math"

// treeDP cuts a spanning tree exactly: for every subtree it knows, for each
// household count h of the piece still open at the subtree's root, the least
// cost of the closed pieces below (each in the band or paying its penalty)
// plus the links kept or cut. Merging a child is a (min,+) convolution capped
// at Max, so a tree of H households costs O(H·Max) — the tree knapsack bound.
//
// The ceiling is hard and the floor soft: no piece of several nodes ever holds
// more than Max (a worker cannot take on more), while a piece below Min pays a
// penalty per missing household, so a pocket too small to stand alone is the
// exception that is reported, never an overloaded grid.
type treeDP struct {
	g    *Graph
	band Band
}

func newTreeDP(g *Graph, b Band) *treeDP { return &treeDP{g: g, band: b} }

// step records how one child was merged: for each resulting h, -1 if the
// child's piece was closed (the link cut), else the child's share of h.
type step struct {
	child  int32
	choice []int32
}

// cut returns the part of every node for the forest t.
func (d *treeDP) cut(t tree) ([]int32, int) {
	g, U := d.g, d.band.Max
	n := g.N()
	inf := math.Inf(1)
	parent, order, cutP, inP := t.parent, t.order, t.cut, t.in
	children := make([][]int32, n)
	for _, v := range order {
		if p := parent[v]; p >= 0 {
			children[p] = append(children[p], v)
		}
	}

	open := make([][]float64, n) // nil for a node heavier than Max: it closes alone
	best := make([]float64, n)   // least cost with the node's piece closed
	bestH := make([]int32, n)
	steps := make([][]step, n)
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		w := int(g.W[v])
		over := w > U
		var f []float64
		closed := 0.0
		if !over {
			f = make([]float64, w+1)
			for h := range f {
				f[h] = inf
			}
			f[w] = 0
		}
		for _, c := range children[v] {
			bc := best[c] + cutP[c]
			if over {
				closed += bc
				steps[v] = append(steps[v], step{child: c})
				continue
			}
			fc := open[c]
			capN := len(f) - 1
			if fc != nil {
				capN = min(capN+len(fc)-1, U)
			}
			nf := make([]float64, capN+1)
			ch := make([]int32, capN+1)
			for h := range nf {
				nf[h] = inf
			}
			for h, x := range f {
				if x < inf {
					nf[h] = x + bc
					ch[h] = -1
				}
			}
			if fc != nil {
				in := inP[c]
				for a, x := range f {
					if x == inf {
						continue
					}
					x += in
					lim := min(len(fc)-1, U-a)
					for b := 0; b <= lim; b++ {
						if s := x + fc[b]; s < nf[a+b] {
							nf[a+b] = s
							ch[a+b] = int32(b)
						}
					}
				}
			}
			f = nf
			steps[v] = append(steps[v], step{child: c, choice: ch})
			open[c] = nil
		}
		if over {
			best[v], bestH[v] = closed, -1
			continue
		}
		open[v] = f
		best[v] = inf
		for h, x := range f {
			if x == inf {
				continue
			}
			if c := x + pen(d.band, h); c < best[v] {
				best[v], bestH[v] = c, int32(h)
			}
		}
	}

	// Reconstruct top-down.
	part := make([]int32, n)
	parts := int32(0)
	type item struct{ v, h, label int32 }
	var stack []item
	for _, r := range order {
		if parent[r] < 0 {
			stack = append(stack, item{r, bestH[r], parts})
			parts++
		}
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		part[it.v] = it.label
		h := it.h
		ss := steps[it.v]
		for k := len(ss) - 1; k >= 0; k-- {
			c := ss[k].child
			if ss[k].choice == nil || ss[k].choice[h] < 0 {
				stack = append(stack, item{c, bestH[c], parts})
				parts++
				continue
			}
			share := ss[k].choice[h]
			stack = append(stack, item{c, share, it.label})
			h -= share
		}
	}
	return part, int(parts)
}
