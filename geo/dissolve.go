package geo

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// Dissolve merges polygons that share edges vertex for vertex (blocks of one
// grid) into their outline, with a GEOS coverage union: 40 times faster than
// a general union, and exact on such input. The pieces come largest first,
// wound by the right-hand rule of RFC 7946 (outer rings counter-clockwise),
// each ring starting at its lowest, then leftmost, vertex: where GEOS starts
// a ring follows the order of the linework it was built from, which is no
// part of the shape.
func Dissolve(gctx *geos.Context, polys []orb.Polygon) (_ []orb.Polygon, err error) {
	defer Recover(&err)
	parts := make([]*geos.Geom, len(polys))
	for i, p := range polys {
		parts[i] = ToGEOS(gctx, p)
	}
	out := Polygons(FromGEOS(gctx.NewCollection(geos.TypeIDMultiPolygon, parts).CoverageUnion()))
	slices.SortStableFunc(out, func(a, b orb.Polygon) int { return cmp.Compare(planar.Area(b), planar.Area(a)) })
	for _, p := range out {
		Orient(p)
		for _, r := range p {
			startLowest(r)
		}
	}
	return out, nil
}

// startLowest turns a closed ring, in place, to start (and end) at its
// lowest, then leftmost, vertex.
func startLowest(r orb.Ring) {
	n := len(r) - 1 // the closing vertex repeats the first
	if n < 3 {
		return
	}
	low := 0
	for i, p := range r[:n] {
		if q := r[low]; p[1] < q[1] || (p[1] == q[1] && p[0] < q[0]) {
			low = i
		}
	}
	if low == 0 {
		return
	}
	rotated := slices.Concat(r[low:n], r[:low+1])
	copy(r, rotated)
}

// Orient winds outer rings counter-clockwise and holes clockwise (the
// right-hand rule of RFC 7946; it survives a projection that keeps axes).
func Orient(p orb.Polygon) {
	for i, ring := range p {
		want := orb.CCW
		if i > 0 {
			want = orb.CW
		}
		if ring.Orientation() != want {
			ring.Reverse()
		}
	}
}

// LargestOverlap returns, for each of as, the index of the one of bs that
// covers most of its area (-1 where none meets it): which township a
// community belongs to.
func LargestOverlap(gctx *geos.Context, as, bs []orb.MultiPolygon) (_ []int, err error) {
	defer Recover(&err)
	gb := make([]*geos.Geom, len(bs))
	for i, b := range bs {
		gb[i] = ToGEOS(gctx, b)
	}
	out := make([]int, len(as))
	for i, a := range as {
		ga := ToGEOS(gctx, a)
		out[i] = -1
		most := 0.0
		for j, b := range gb {
			if !ga.Intersects(b) {
				continue
			}
			if area := ga.Intersection(b).Area(); area > most {
				out[i], most = j, area
			}
		}
	}
	return out, nil
}
