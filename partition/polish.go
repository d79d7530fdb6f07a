package partition

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// The solver keeps grids compact by their spread (see compactWeight), which
// weighs a grid by its area: a large grid that is a little long counts for
// more than a small one that is ragged. Grid offices judge every grid by its
// shape alone, as Polsby–Popper does (4πA/P², 1 for a disc). roundOff makes
// that last pass, over the finished assignment.
const (
	// ppEnough is the Polsby–Popper past which a grid gains nothing from being
	// rounder: a square is 0.79, a 2:1 rectangle 0.70.
	ppEnough = 0.6
	// ppWeight prices Polsby–Popper in the units of the boundary costs, at
	// the rate compactWeight sets: a disc against a 4:1 rectangle of the same
	// area (PP 1 against 0.5) is worth some 900 m of side street as boundary,
	// 630 units, so 0.5 of PP is worth about 630.
	ppWeight = 1260.0
	// minGain is the least gain, in cost units, worth a move: about a metre
	// of side street, so that rounding errors never move a block back and
	// forth.
	minGain = 0.5
)

// roundOff moves single blocks between neighbouring grids of one community
// (part gives each block's grid) while that lowers the boundary costs less
// ppWeight times the two grids' Polsby–Popper, each counted up to ppEnough:
// a move rounds a grid off where that costs little boundary strength, or
// takes a boundary onto a stronger feature where that costs little shape. A
// move must keep both grids in the band and the grid it leaves connected;
// every edge it turns into a grid boundary must be a feature on the ground
// (where the community has any), and no main feature may end up inside a
// grid. It returns how many blocks moved.
func roundOff(b *Blocks, band Band, part []int) int {
	n := len(b.Blocks)
	type arc struct {
		to             int
		length         float64
		cutGain        float64 // cut − in cost: what turning the arc into a boundary adds
		feature, major bool
	}
	contacts := b.contacts()
	// A community drawn from units alone has no feature to keep boundaries
	// on: there any edge may become one.
	featured := make([]bool, len(b.Communities))
	for _, c := range contacts {
		featured[b.Blocks[c.u].Community] = featured[b.Blocks[c.u].Community] || c.class.IsFeature()
	}
	arcs := make([][]arc, n)
	for _, c := range contacts {
		cut, in := costOf(c.class, c.length)
		feature := c.class.IsFeature() || !featured[b.Blocks[c.u].Community]
		arcs[c.u] = append(arcs[c.u], arc{c.v, c.length, cut - in, feature, c.class.IsMajor()})
		arcs[c.v] = append(arcs[c.v], arc{c.u, c.length, cut - in, feature, c.class.IsMajor()})
	}
	grids := 0
	for _, p := range part {
		grids = max(grids, p+1)
	}
	area := make([]float64, grids)
	perim := make([]float64, grids)
	weight := make([]int, grids)
	size := make([]int, grids) // blocks in each grid
	rim := make([]float64, n)  // each block's perimeter
	for v, blk := range b.Blocks {
		for _, ring := range blk.Shape {
			rim[v] += planar.Length(orb.LineString(ring))
		}
		p := part[v]
		area[p] += blk.Area
		perim[p] += rim[v]
		weight[p] += blk.Households
		size[p]++
		for _, a := range arcs[v] {
			if part[a.to] == p {
				perim[p] -= a.length // counted once from each side: twice in all
			}
		}
	}
	value := func(a, p float64) float64 {
		if p <= 0 {
			return 0
		}
		return min(4*math.Pi*a/(p*p), ppEnough)
	}

	search := newPartSearch(n)
	arcsOf := func(x int32, visit func(int32)) {
		for _, a := range arcs[x] {
			visit(int32(a.to))
		}
	}

	moved := 0
	for pass := 0; pass < 20; pass++ {
		movedNow := 0
		for v := range n {
			p := part[v]
			wv, av := b.Blocks[v].Households, b.Blocks[v].Area
			if size[p] == 1 || weight[p]-wv < band.Min {
				continue
			}
			bestQ, bestGain := -1, minGain
			var bestP, bestQP float64
			for _, cand := range arcs[v] {
				q := part[cand.to]
				if q == p || weight[q]+wv > band.Max {
					continue
				}
				ok := true
				var toP, toQ, cost float64
				for _, a := range arcs[v] {
					switch part[a.to] {
					case p: // becomes a boundary between p and q
						ok = ok && a.feature
						toP += a.length
						cost += a.cutGain
					case q: // ends up inside q
						ok = ok && !a.major
						toQ += a.length
						cost -= a.cutGain
					}
				}
				if !ok {
					continue
				}
				pp, pq := perim[p]-rim[v]+2*toP, perim[q]+rim[v]-2*toQ
				shape := value(area[p]-av, pp) + value(area[q]+av, pq) - value(area[p], perim[p]) - value(area[q], perim[q])
				if gain := ppWeight*shape - cost; gain > bestGain {
					bestQ, bestGain, bestP, bestQP = q, gain, pp, pq
				}
			}
			if bestQ < 0 || !search.without(int32(v), size[p], func(u int32) bool { return part[u] == p }, arcsOf) {
				continue
			}
			q := bestQ
			area[p] -= av
			area[q] += av
			perim[p], perim[q] = bestP, bestQP
			weight[p] -= wv
			weight[q] += wv
			size[p]--
			size[q]++
			part[v] = q
			movedNow++
		}
		moved += movedNow
		if movedNow == 0 {
			break
		}
	}
	return moved
}
