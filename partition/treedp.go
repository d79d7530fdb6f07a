package partition

import (
	"math"
	"slices"
)

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
//
// One treeDP cuts many trees of one graph in turn, so it keeps its tables
// between cuts: the open pieces' cost rows go back to a free list once
// merged, and every merge's choices are laid end to end in one arena. A
// community cut 64 times would otherwise allocate some gigabytes of rows.
type treeDP struct {
	g    *Graph
	band Band

	free  [][]float64 // rows no longer in use
	arena []int32     // the choices of every merge of the current cut
}

func newTreeDP(g *Graph, b Band) *treeDP { return &treeDP{g: g, band: b} }

// row returns a cost row of n entries, all +Inf.
func (d *treeDP) row(n int) []float64 {
	var r []float64
	if k := len(d.free); k > 0 && cap(d.free[k-1]) >= n {
		r, d.free = d.free[k-1][:n], d.free[:k-1]
	} else {
		r = make([]float64, n, max(n, d.band.Max+1))
	}
	for i := range r {
		r[i] = math.Inf(1)
	}
	return r
}

// release puts a row no longer in use on the free list.
func (d *treeDP) release(r []float64) {
	if r != nil {
		d.free = append(d.free, r)
	}
}

// step records how one child was merged: choices (a stretch of the arena)
// holds, for each resulting h, -1 if the child's piece was closed (the link
// cut), else the child's share of h; the stretch is empty when the parent
// closed alone.
type step struct {
	child    int32
	from, to int32 // the stretch of the arena
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
	d.arena = d.arena[:0]
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		w := int(g.W[v])
		over := w > U
		var f []float64
		closed := 0.0
		if !over {
			f = d.row(w + 1)
			f[w] = 0
		}
		for _, c := range children[v] {
			bc := best[c] + cutP[c]
			if over {
				closed += bc
				at := int32(len(d.arena))
				steps[v] = append(steps[v], step{child: c, from: at, to: at})
				continue
			}
			fc := open[c]
			capN := len(f) - 1
			if fc != nil {
				capN = min(capN+len(fc)-1, U)
			}
			nf := d.row(capN + 1)
			from := len(d.arena)
			d.arena = slices.Grow(d.arena, capN+1)[:from+capN+1]
			ch := d.arena[from:]
			clear(ch)
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
			d.release(f)
			d.release(fc)
			f = nf
			steps[v] = append(steps[v], step{child: c, from: int32(from), to: int32(len(d.arena))})
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
			choice := d.arena[ss[k].from:ss[k].to]
			if len(choice) == 0 || choice[h] < 0 {
				stack = append(stack, item{c, bestH[c], parts})
				parts++
				continue
			}
			share := choice[h]
			stack = append(stack, item{c, share, it.label})
			h -= share
		}
	}
	for _, r := range open {
		d.release(r)
	}
	return part, int(parts)
}
