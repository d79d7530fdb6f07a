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
