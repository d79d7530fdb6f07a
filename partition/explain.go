package partition

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Exception kinds that are certified: the request cannot be met there by any
// partition into whole blocks, so the grid is reported and not counted as a
// failure of the partitioner.
const (
	KindIndivisible    = "indivisible"     // one building above Max
	KindCommunityTotal = "community-total" // no grid count fits the community's total
	KindIsolated       = "isolated"        // a piece cut off from the rest of its community, below Min
	KindUnsolved       = "unsolved"        // not certified: the solver found nothing better
)

// Certified reports whether an exception kind is one that no partition could
// avoid.
func Certified(kind string) bool { return kind != "" && kind != KindUnsolved }

// explain finds what cannot be met and why, sets each out-of-band grid's
// exception, and lists the problems with the smallest fix for each.
func (r *Result) explain(pieces [][][]int32) {
	b, band := r.Blocks, r.Band
	weight := func(nodes []int32) int {
		h := 0
		for _, v := range nodes {
			h += b.Blocks[v].Households
		}
		return h
	}
	commTotal := make([]int, len(b.Communities))
	commOK := make([]bool, len(b.Communities))
	for ci, ps := range pieces {
		for _, p := range ps {
			commTotal[ci] += weight(p)
		}
		lo, hi, ok := band.Counts(commTotal[ci])
		commOK[ci] = ok || commTotal[ci] == 0
		if commOK[ci] {
			continue
		}
		c := b.Communities[ci]
		r.Problems = append(r.Problems, Problem{
			Kind: KindCommunityTotal, Community: c.Code, Households: commTotal[ci],
			Where:   r.where(c.Shape),
			Message: fmt.Sprintf("community %s holds %d households: no number of grids m has m·%d ≤ %d ≤ m·%d", c.Code, commTotal[ci], band.Min, commTotal[ci], band.Max),
			Fix:     totalFix(band, commTotal[ci], lo, hi),
		})
	}
	isolated := map[int32]int{} // first block of a small cut-off piece → its households
	for ci, ps := range pieces {
		if len(ps) < 2 || !commOK[ci] {
			continue
		}
		for _, p := range ps {
			h := weight(p)
			if h == 0 || h >= band.Min {
				continue
			}
			isolated[p[0]] = h
			c := b.Communities[ci]
			r.Problems = append(r.Problems, Problem{
				Kind: KindIsolated, Community: c.Code, Households: h,
				Where:   r.where(orb.MultiPolygon{b.Blocks[p[0]].Shape}),
				Message: fmt.Sprintf("a part of community %s shares no edge with the rest of it and holds %d households, fewer than %d", c.Code, h, band.Min),
				Fix:     fmt.Sprintf("attach it to the neighbouring community it touches, or lower --min to %d", h),
			})
		}
	}
	for gi := range r.Grids {
		g := &r.Grids[gi]
		if band.Contains(g.Households) {
			continue
		}
		code := b.Communities[g.Community].Code
		switch {
		case r.populated(g) == 1 && g.Households > band.Max:
			g.Exception = KindIndivisible
			r.Problems = append(r.Problems, Problem{
				Kind: KindIndivisible, Community: code, Grid: g.Code, Households: g.Households,
				Where:   r.where(orb.MultiPolygon{g.Shape}),
				Message: fmt.Sprintf("grid %s is one building (or one census unit) of %d households, above max %d", g.Code, g.Households, band.Max),
				Fix:     fmt.Sprintf("give the building's entrances or floors their own household points, or raise --max to %d", g.Households),
			})
		case !commOK[g.Community]:
			g.Exception = KindCommunityTotal
		case r.isolatedGrid(g, isolated):
			g.Exception = KindIsolated
		default:
			g.Exception = KindUnsolved
			r.Problems = append(r.Problems, Problem{
				Kind: KindUnsolved, Community: code, Grid: g.Code, Households: g.Households,
				Where:   r.where(orb.MultiPolygon{g.Shape}),
				Message: fmt.Sprintf("grid %s holds %d households, outside [%d, %d]: no arrangement of whole blocks was found that keeps it in the band", g.Code, g.Households, band.Min, band.Max),
				Fix:     r.unsolvedFix(gi),
			})
		}
	}
}

// populated counts the blocks of a grid that hold households: a building
// above Max is a grid with whatever empty ground only it borders.
func (r *Result) populated(g *Grid) int {
	n := 0
	for _, v := range g.Blocks {
		if r.Blocks.Blocks[v].Households > 0 {
			n++
		}
	}
	return n
}

// unsolvedFix names the smallest changes of the band that let grid gi
// stand: as it is drawn, or, below the band, joined with the lightest grid
// beside it in its community.
func (r *Result) unsolvedFix(gi int) string {
	g, band := &r.Grids[gi], r.Band
	if g.Households > band.Max {
		return fmt.Sprintf("raise --max to %d so that it stands as drawn, or try another --seed", g.Households)
	}
	fix := fmt.Sprintf("lower --min to %d so that it stands as drawn", g.Households)
	lightest := -1
	for _, c := range r.Blocks.contacts() { // contacts lie within one community
		for _, uv := range [2][2]int{{c.u, c.v}, {c.v, c.u}} {
			if r.BlockGrid[uv[0]] != gi || r.BlockGrid[uv[1]] == gi {
				continue
			}
			if n := r.BlockGrid[uv[1]]; lightest < 0 || r.Grids[n].Households < r.Grids[lightest].Households {
				lightest = n
			}
		}
	}
	if lightest >= 0 {
		n := r.Grids[lightest]
		fix += fmt.Sprintf(", or raise --max to %d so that it can join grid %s (%d households) beside it", g.Households+n.Households, n.Code, n.Households)
	}
	return fix + ", or try another --seed"
}

func (r *Result) isolatedGrid(g *Grid, isolated map[int32]int) bool {
	for _, bi := range g.Blocks {
		if _, ok := isolated[int32(bi)]; ok {
			return true
		}
	}
	return false
}

// totalFix names the smallest change of the band that lets a community's
// total be divided.
func totalFix(b Band, total, lo, hi int) string {
	if total < b.Min {
		return fmt.Sprintf("lower --min to %d, or merge the community with a neighbour", total)
	}
	// With lo grids (the fewest under Max) each holds total/lo on average:
	// Min must come down to that; with hi grids Max must go up.
	newMin := total / lo
	newMax := (total + hi - 1) / max(hi, 1)
	return fmt.Sprintf("lower --min to %d (%d grids), or raise --max to %d (%d grids)", newMin, lo, newMax, max(hi, 1))
}

// where returns a WGS84 point inside a projected shape, for messages.
func (r *Result) where(mp orb.MultiPolygon) orb.Point {
	if len(mp) == 0 {
		return orb.Point{}
	}
	c, _ := planar.CentroidArea(mp)
	return r.Blocks.Proj.Inverse(c)
}

// unsolved counts the grids left outside the band with no certificate.
func (r *Result) unsolved() int {
	n := 0
	for _, p := range r.Problems {
		if p.Kind == KindUnsolved {
			n++
		}
	}
	return n
}

// crowding returns a household point (WGS84) in each block, in or beside an
// unsolved grid in its community, that holds more than opt.SplitBelow
// households: the blocks to cut so that the grid has room to reach the band.
func (r *Result) crowding(opt BlockOptions) []orb.Point {
	b := r.Blocks
	bad := map[int]bool{}
	for _, p := range r.Problems {
		if p.Kind != KindUnsolved {
			continue
		}
		for gi, g := range r.Grids {
			if g.Code == p.Grid {
				bad[gi] = true
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	near := map[int]bool{}
	for gi := range bad {
		for _, v := range r.Grids[gi].Blocks {
			near[v] = true
		}
	}
	for _, c := range b.contacts() { // contacts lie within one community
		if bad[r.BlockGrid[c.u]] {
			near[c.v] = true
		}
		if bad[r.BlockGrid[c.v]] {
			near[c.u] = true
		}
	}
	var at []orb.Point
	for i, v := range b.HouseholdBlock {
		if v >= 0 && near[v] && b.Blocks[v].Households > opt.SplitBelow {
			at = append(at, b.Points[i].Point)
			delete(near, v) // one point names the block
		}
	}
	return at
}
