package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Cutting one face of an arrangement again, without noding the rest, puts new
// nodes on edges that other faces share. These helpers split those edges and
// give the neighbours the same vertices, so that the faces stay a coverage.

// SplitLine splits ls at the points of at that lie on it within tol, other
// than its ends, and returns the parts and the points it split at. A part
// ends exactly at its split point.
func SplitLine(ls orb.LineString, at []orb.Point, tol float64) (parts []orb.LineString, split []orb.Point) {
	type cut struct {
		seg int     // the segment the point lies on
		t   float64 // where along it, 0..1
		p   orb.Point
	}
	var cuts []cut
	for _, p := range at {
		if dist(p, ls[0]) <= tol || dist(p, ls[len(ls)-1]) <= tol {
			continue
		}
		for j := 0; j+1 < len(ls); j++ {
			if SegmentDistance(p, ls[j], ls[j+1]) <= tol {
				cuts = append(cuts, cut{j, along(p, ls[j], ls[j+1]), p})
				break
			}
		}
	}
	if len(cuts) == 0 {
		return []orb.LineString{ls}, nil
	}
	slices.SortFunc(cuts, func(a, b cut) int {
		if c := cmp.Compare(a.seg, b.seg); c != 0 {
			return c
		}
		return cmp.Compare(a.t, b.t)
	})
	cuts = slices.CompactFunc(cuts, func(a, b cut) bool { return dist(a.p, b.p) <= tol })
	part := orb.LineString{ls[0]}
	next := 0
	for j := 0; j+1 < len(ls); j++ {
		for ; next < len(cuts) && cuts[next].seg == j; next++ {
			p := cuts[next].p
			if dist(part[len(part)-1], p) > tol {
				part = append(part, p)
			} else {
				part[len(part)-1] = p // the cut is at a vertex
			}
			if len(part) >= 2 {
				parts = append(parts, part)
				split = append(split, p)
			}
			part = orb.LineString{p}
		}
		if dist(part[len(part)-1], ls[j+1]) > tol {
			part = append(part, ls[j+1])
		}
	}
	if len(part) >= 2 {
		parts = append(parts, part)
	} else if len(parts) > 0 {
		last := parts[len(parts)-1]
		last[len(last)-1] = ls[len(ls)-1]
	}
	return parts, split
}

// along returns where the projection of p falls on segment ab, from 0 at a
// to 1 at b (ClosestOnSegment is that point).
func along(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	return math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
}

// InsertVertex puts p into the ring of poly whose segment it lies on within
// tol, unless a vertex is already there. It reports whether it found one.
func InsertVertex(poly orb.Polygon, p orb.Point, tol float64) bool {
	for ri, r := range poly {
		for j := 0; j+1 < len(r); j++ {
			if SegmentDistance(p, r[j], r[j+1]) > tol {
				continue
			}
			if dist(p, r[j]) <= tol || dist(p, r[j+1]) <= tol {
				return true
			}
			poly[ri] = slices.Insert(r, j+1, p)
			return true
		}
	}
	return false
}

// Beside returns two points d to the left and to the right of the middle of
// the longest segment of ls: one in each face the line parts.
func Beside(ls orb.LineString, d float64) (left, right orb.Point) {
	a, b := longestSegment(ls)
	m := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	l := dist(a, b)
	if l == 0 {
		return m, m
	}
	nx, ny := -(b[1]-a[1])/l*d, (b[0]-a[0])/l*d
	return orb.Point{m[0] + nx, m[1] + ny}, orb.Point{m[0] - nx, m[1] - ny}
}
