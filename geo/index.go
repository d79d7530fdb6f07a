package geo

import (
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
	tr   rtree.RTreeG[int32]
	segs [][2]orb.Point
	tags []int
}

// NewSegmentIndex indexes the segments of lines.
func NewSegmentIndex(lines []TaggedLine) *SegmentIndex {
	ix := &SegmentIndex{}
	for _, tl := range lines {
		ls := tl.Line
		for j := 0; j+1 < len(ls); j++ {
			a, b := ls[j], ls[j+1]
			ix.tr.Insert([2]float64{min(a[0], b[0]), min(a[1], b[1])}, [2]float64{max(a[0], b[0]), max(a[1], b[1])}, int32(len(ix.segs)))
			ix.segs = append(ix.segs, [2]orb.Point{a, b})
			ix.tags = append(ix.tags, tl.Tag)
		}
	}
	return ix
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
