package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// RegionIndex answers which of a set of polygons owns a point, at the speed
// case routing needs (millions of lookups a second on one core). Polygons
// that share edges vertex for vertex, as grids do, own every point once: the
// answer is the crossing-number rule (a ray to +x, an edge counted when
// y1 ≤ y < y2 or y2 ≤ y < y1), so a point on a shared edge goes to exactly one
// side, the same one every time. Where several polygons would claim a point
// (overlapping input) the lowest index wins.
//
// The index is a raster of cells over the polygons' bounds. For each polygon
// whose bounds meet a cell, the cell keeps the parity of the polygon's edges
// that lie wholly to the cell's right and span its row, and the few edges
// that pass through the cell's row at or right of it only partly. A point in
// a cell that no edge crosses is answered from the parities alone, with no
// polygon test.
type RegionIndex struct {
	bound      orb.Bound
	cols, rows int
	cw, ch     float64
	cells      []int32 // per cell: start of its entries; len = cells+1
	entries    []entry
	edges      []segment
}

type entry struct {
	region int32
	odd    bool // parity of the edges wholly right of the cell that span its row
	// Edges to test, in RegionIndex.edges: those right of the cell that span
	// its row only partly (a run shared by the cells of a row), and those
	// whose x-range meets the cell.
	rightFrom, rightTo int32
	ownFrom, ownTo     int32
}

type segment struct{ ax, ay, bx, by float64 }

// cellsPerRegion sets the raster's resolution: enough cells that most
// lookups land in a cell no edge crosses.
const cellsPerRegion = 256

// maxCells caps the raster's memory.
const maxCells = 1 << 22

// NewRegionIndex indexes polygons; Owner returns indexes into this slice.
func NewRegionIndex(polys []orb.Polygon) *RegionIndex {
	ix := &RegionIndex{}
	first := true
	for _, p := range polys {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		if first {
			ix.bound, first = p.Bound(), false
		} else {
			ix.bound = ix.bound.Union(p.Bound())
		}
	}
	if first {
		ix.cells = []int32{0}
		return ix
	}
	w, h := ix.bound.Max[0]-ix.bound.Min[0], ix.bound.Max[1]-ix.bound.Min[1]
	n := float64(min(maxCells, max(1, cellsPerRegion*len(polys))))
	side := math.Sqrt(w * h / n)
	if side == 0 {
		side = math.Max(w, h) / math.Sqrt(n)
	}
	if side == 0 {
		side = 1e-9
	}
	ix.cols, ix.rows = max(1, int(math.Ceil(w/side))), max(1, int(math.Ceil(h/side)))
	// Cells are a hair larger than needed so that the bound's max edge falls
	// inside the last cell.
	ix.cw, ix.ch = w/float64(ix.cols)*(1+1e-12)+1e-15, h/float64(ix.rows)*(1+1e-12)+1e-15

	type pending struct {
		e   entry
		own []segment
	}
	type partial struct {
		s    segment
		left int // cells before this one have it to their right
	}
	perCell := make([][]pending, ix.cols*ix.rows)
	for ri, p := range polys {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		b := p.Bound()
		c0, r0 := ix.col(b.Min[0]), ix.row(b.Min[1])
		c1, r1 := ix.col(b.Max[0]), ix.row(b.Max[1])
		nc := c1 - c0 + 1
		// Edges that come within a hair of a row or cell line are tested
		// exactly rather than trusted to the parities, so that rounding in
		// the cell arithmetic can never flip an answer.
		ex, ey := ix.cw*1e-9, ix.ch*1e-9
		flip := make([]bool, nc+1)
		own := make([][]segment, nc)
		for r := r0; r <= r1; r++ {
			y0, y1 := ix.bound.Min[1]+float64(r)*ix.ch-ey, ix.bound.Min[1]+float64(r+1)*ix.ch+ey
			// flip[c] toggles the parity of cells [0, c) (prefix toggles,
			// summed right to left); partial edges are tested by every
			// cell left of them, own[c] by cell c alone.
			clear(flip)
			for c := range own {
				own[c] = own[c][:0]
			}
			var parts []partial
			for _, ring := range p {
				for k := 0; k+1 < len(ring); k++ {
					a, bb := ring[k], ring[k+1]
					lo, hi := math.Min(a[1], bb[1]), math.Max(a[1], bb[1])
					if lo == hi || hi < y0 || lo > y1 {
						continue // horizontal, or never counted for this row
					}
					s := upward(a, bb)
					// Cells wholly left of the edge (their right side at or
					// before its west end) see it as a crossing to their right.
					left := max(0, ix.col(math.Min(a[0], bb[0])-ex)-c0)
					if lo < y0 && hi > y1 {
						flip[left] = !flip[left]
					} else if left > 0 {
						parts = append(parts, partial{s, left})
					}
					// The cells the edge's x-range meets test it exactly.
					for c := left; c <= min(ix.col(math.Max(a[0], bb[0])+ex)-c0, nc-1); c++ {
						own[c] = append(own[c], s)
					}
				}
			}
			// Partial edges by where they start, nearest the west first:
			// cell c tests the run of those with left > c.
			slices.SortFunc(parts, func(x, y partial) int { return cmp.Compare(x.left, y.left) })
			from := int32(len(ix.edges))
			for _, pt := range parts {
				ix.edges = append(ix.edges, pt.s)
			}
			to := int32(len(ix.edges))
			odd, k := false, len(parts)
			for c := nc - 1; c >= 0; c-- {
				odd = odd != flip[c+1]
				for k > 0 && parts[k-1].left > c {
					k--
				}
				if !odd && k == len(parts) && len(own[c]) == 0 {
					continue // the polygon cannot hold any point of this cell
				}
				cell := r*ix.cols + c0 + c
				perCell[cell] = append(perCell[cell], pending{
					entry{region: int32(ri), odd: odd, rightFrom: from + int32(k), rightTo: to},
					slices.Clone(own[c]),
				})
			}
		}
	}
	ix.cells = make([]int32, len(perCell)+1)
	for cell, ps := range perCell {
		ix.cells[cell] = int32(len(ix.entries))
		for _, pd := range ps { // polygons in index order: the lowest wins
			pd.e.ownFrom = int32(len(ix.edges))
			ix.edges = append(ix.edges, pd.own...)
			pd.e.ownTo = int32(len(ix.edges))
			ix.entries = append(ix.entries, pd.e)
		}
	}
	ix.cells[len(perCell)] = int32(len(ix.entries))
	return ix
}

func (ix *RegionIndex) col(x float64) int {
	return min(ix.cols-1, max(0, int((x-ix.bound.Min[0])/ix.cw)))
}

func (ix *RegionIndex) row(y float64) int {
	return min(ix.rows-1, max(0, int((y-ix.bound.Min[1])/ix.ch)))
}

// Owner returns the index of the polygon that owns p, or -1 if none does.
func (ix *RegionIndex) Owner(p orb.Point) int {
	x, y := p[0], p[1]
	if ix.cols == 0 || !(x >= ix.bound.Min[0] && x <= ix.bound.Max[0] && y >= ix.bound.Min[1] && y <= ix.bound.Max[1]) {
		return -1 // also NaN
	}
	cell := int((y-ix.bound.Min[1])/ix.ch)*ix.cols + int((x-ix.bound.Min[0])/ix.cw)
	for _, e := range ix.entries[ix.cells[cell]:ix.cells[cell+1]] {
		odd := e.odd
		for _, s := range ix.edges[e.rightFrom:e.rightTo] {
			if crosses(s, x, y) {
				odd = !odd
			}
		}
		for _, s := range ix.edges[e.ownFrom:e.ownTo] {
			if crosses(s, x, y) {
				odd = !odd
			}
		}
		if odd {
			return int(e.region)
		}
	}
	return -1
}

// crosses reports whether a ray from (x, y) to +x crosses s, by the
// half-open rule that makes polygons sharing an edge own its points once.
// The segment must run upwards (see upward), so that the two polygons on
// either side of an edge compute the same crossing, bit for bit.
func crosses(s segment, x, y float64) bool {
	if (s.ay > y) == (s.by > y) {
		return false
	}
	return x < s.ax+(y-s.ay)*(s.bx-s.ax)/(s.by-s.ay)
}

// upward returns the segment from a to b with its lower end first: a ring
// runs a shared edge one way and its neighbour the other way.
func upward(a, b orb.Point) segment {
	if a[1] > b[1] || (a[1] == b[1] && a[0] > b[0]) {
		a, b = b, a
	}
	return segment{a[0], a[1], b[0], b[1]}
}

// Contains reports whether polygon p holds point q by the same rule as
// RegionIndex.Owner: the exact answer that the index speeds up.
func Contains(p orb.Polygon, q orb.Point) bool {
	odd := false
	for _, ring := range p {
		for k := 0; k+1 < len(ring); k++ {
			if crosses(upward(ring[k], ring[k+1]), q[0], q[1]) {
				odd = !odd
			}
		}
	}
	return odd
}
