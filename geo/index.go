package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// PolygonIndex locates points among a set of polygons.
type PolygonIndex struct {
	tr    rtree.RTreeG[int32]
	polys []orb.Polygon
}

// NewPolygonIndex indexes polys by their bounds.
func NewPolygonIndex(polys []orb.Polygon) *PolygonIndex {
	ix := &PolygonIndex{polys: polys}
	for i, p := range polys {
		b := p.Bound()
		ix.tr.Insert(b.Min, b.Max, int32(i))
	}
	return ix
}

// Locate returns the index of the polygon that contains p, or -1. A point on an
// edge shared by several polygons goes to the lowest index, so every point has
// exactly one answer.
func (ix *PolygonIndex) Locate(p orb.Point) int {
	best := -1
	ix.tr.Search(p, p, func(_, _ [2]float64, i int32) bool {
		if (best < 0 || int(i) < best) && planar.PolygonContains(ix.polys[i], p) {
			best = int(i)
		}
		return true
	})
	return best
}

// Count returns how many polygons contain p (on an edge counts as in).
func (ix *PolygonIndex) Count(p orb.Point) int {
	n := 0
	ix.tr.Search(p, p, func(_, _ [2]float64, i int32) bool {
		if planar.PolygonContains(ix.polys[i], p) {
			n++
		}
		return true
	})
	return n
}

// SegmentIndex finds the segments of a set of tagged lines near a point.
type SegmentIndex struct {
	tr    rtree.RTreeG[int32]
	segs  [][2]orb.Point
	tags  []int
	lines []int32 // the line each segment belongs to, numbered as added
	n     int32
}

// NewSegmentIndex indexes the segments of lines.
func NewSegmentIndex(lines []TaggedLine) *SegmentIndex {
	ix := &SegmentIndex{}
	for _, tl := range lines {
		ix.Add(tl)
	}
	return ix
}

// Add indexes one more line and returns its number (0 for the first line).
func (ix *SegmentIndex) Add(tl TaggedLine) int {
	ls := tl.Line
	for j := 0; j+1 < len(ls); j++ {
		a, b := ls[j], ls[j+1]
		ix.tr.Insert([2]float64{min(a[0], b[0]), min(a[1], b[1])}, [2]float64{max(a[0], b[0]), max(a[1], b[1])}, int32(len(ix.segs)))
		ix.segs = append(ix.segs, [2]orb.Point{a, b})
		ix.tags = append(ix.tags, tl.Tag)
		ix.lines = append(ix.lines, ix.n)
	}
	ix.n++
	return int(ix.n - 1)
}

// Nearest returns the point closest to p, within d, on a segment of a line
// that skip (when not nil) does not reject, and that line's number.
func (ix *SegmentIndex) Nearest(p orb.Point, d float64, skip func(line int) bool) (orb.Point, int, bool) {
	var best orb.Point
	bestLine, bestD := -1, math.Inf(1)
	ix.each(p, d, func(i int32) bool {
		if skip != nil && skip(int(ix.lines[i])) {
			return true
		}
		s := ix.segs[i]
		q := ClosestOnSegment(p, s[0], s[1])
		// Only a strictly closer segment wins: the search order is fixed, so
		// the answer is stable.
		if dq := dist(p, q); dq < bestD {
			best, bestLine, bestD = q, int(ix.lines[i]), dq
		}
		return true
	})
	return best, bestLine, bestLine >= 0
}

// each calls fn with every segment within d of p until fn returns false.
func (ix *SegmentIndex) each(p orb.Point, d float64, fn func(i int32) bool) {
	ix.tr.Search([2]float64{p[0] - d, p[1] - d}, [2]float64{p[0] + d, p[1] + d}, func(_, _ [2]float64, i int32) bool {
		s := ix.segs[i]
		if SegmentDistance(p, s[0], s[1]) <= d {
			return fn(i)
		}
		return true
	})
}

// Near reports whether p is within d of a segment.
func (ix *SegmentIndex) Near(p orb.Point, d float64) bool {
	near := false
	ix.each(p, d, func(int32) bool {
		near = true
		return false
	})
	return near
}

// Strongest returns the largest tag among the segments within d of p, and
// whether any segment is that near.
func (ix *SegmentIndex) Strongest(p orb.Point, d float64) (int, bool) {
	best, found := 0, false
	ix.each(p, d, func(i int32) bool {
		if !found || ix.tags[i] > best {
			best, found = ix.tags[i], true
		}
		return true
	})
	return best, found
}

// Cast returns where the ray from p along the unit vector dir first crosses
// a segment, if it does within reach. Segments through p itself are ignored.
func (ix *SegmentIndex) Cast(p orb.Point, dir [2]float64, reach float64) (orb.Point, bool) {
	q := orb.Point{p[0] + reach*dir[0], p[1] + reach*dir[1]}
	bestT := math.Inf(1)
	ix.tr.Search([2]float64{min(p[0], q[0]), min(p[1], q[1])}, [2]float64{max(p[0], q[0]), max(p[1], q[1])}, func(_, _ [2]float64, i int32) bool {
		a, b := ix.segs[i][0], ix.segs[i][1]
		ex, ey := b[0]-a[0], b[1]-a[1]
		den := dir[0]*ey - dir[1]*ex
		if den == 0 {
			return true // parallel
		}
		wx, wy := a[0]-p[0], a[1]-p[1]
		t := (wx*ey - wy*ex) / den
		s := (wx*dir[1] - wy*dir[0]) / den
		if t > 1e-6 && t <= reach && s >= 0 && s <= 1 && t < bestT {
			bestT = t
		}
		return true
	})
	if math.IsInf(bestT, 1) {
		return orb.Point{}, false
	}
	return orb.Point{p[0] + bestT*dir[0], p[1] + bestT*dir[1]}, true
}
