package geo

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// GridSize is the precision of the arrangement's coordinates, in metres.
const GridSize = 1e-6

// A TaggedLine is an input line of an arrangement; Tag says what it is (for
// gridline, a barrier class). Where several lines overlap, the largest Tag wins.
type TaggedLine struct {
	Line orb.LineString
	Tag  int
}

// An Edge of an arrangement runs between two nodes of the noded linework.
// Faces holds the faces on its two sides (-1 for the outside of the area);
// a dangle has no face at all.
type Edge struct {
	Line  orb.LineString
	Tag   int
	Faces [2]int
}

// Length is the edge's length in the arrangement's units.
func (e Edge) Length() float64 { return planar.Length(e.Line) }

// Arrangement is the planar subdivision of an area by lines: its faces, the
// edges between them, and the dangles (dead ends that bound no face).
type Arrangement struct {
	Faces   []orb.Polygon
	Edges   []Edge
	Dangles []Edge
}

// Arrange nodes lines (clipped to area) together with area's own rings and
// polygonizes them. Rings of area get boundaryTag. Faces come back in a
// deterministic order (by their lowest-left vertex), so identical input gives
// identical output. Noding is done by GEOS: polygonizing un-noded street lines
// silently drops crossings.
func Arrange(ctx context.Context, gctx *geos.Context, area orb.MultiPolygon, lines []TaggedLine, boundaryTag int) (a *Arrangement, err error) {
	defer Recover(&err)
	areaG := ToGEOS(gctx, area)
	prepArea := areaG.Prepare()
	clipped, err := clip(ctx, gctx, areaG, prepArea, lines)
	if err != nil {
		return nil, err
	}
	return arrange(ctx, gctx, area, areaG, prepArea, clipped, boundaryTag)
}

// ArrangeInside is Arrange for lines already clipped to area (see Clip):
// clipping against a long boundary is most of the work for lines that cross
// it, and a caller that arranges the same lines twice need clip them once.
func ArrangeInside(ctx context.Context, gctx *geos.Context, area orb.MultiPolygon, inside []TaggedLine, boundaryTag int) (a *Arrangement, err error) {
	defer Recover(&err)
	areaG := ToGEOS(gctx, area)
	return arrange(ctx, gctx, area, areaG, areaG.Prepare(), inside, boundaryTag)
}

func arrange(ctx context.Context, gctx *geos.Context, area orb.MultiPolygon, areaG *geos.Geom, prepArea *geos.PrepGeom, inside []TaggedLine, boundaryTag int) (*Arrangement, error) {
	clipped := slices.Clip(inside) // the area's rings are appended to a copy
	for _, p := range area {
		for _, r := range p {
			clipped = append(clipped, TaggedLine{Line: orb.LineString(r), Tag: boundaryTag})
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	// Snap-rounding noding on a micrometre grid: plain iterated noding fails
	// to converge on the nearly coincident lines of real data (a community
	// line drawn along a street), and snap rounding cannot fail. Large
	// linework is noded in two halves at once (see nodeInHalves).
	lines, split, err := nodeInHalves(ctx, clipped)
	if err == nil && !split {
		lines, err = snapRound(clipped)
	}
	if err != nil {
		return nil, fmt.Errorf("arrange: %w", err)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("arrange: noding produced no lines")
	}
	parts := make([]*geos.Geom, len(lines))
	for i, ls := range lines {
		parts[i] = gctx.NewLineString(coords(ls))
	}
	noded := gctx.NewCollection(geos.TypeIDMultiLineString, parts)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	facesG := gctx.Polygonize([]*geos.Geom{noded})

	// Faces inside the area (polygonize also fills the area's holes).
	var faces []orb.Polygon
	for i := range facesG.NumGeometries() {
		f := facesG.Geometry(i)
		if !prepArea.Contains(f.PointOnSurface()) {
			// A face thinner than rounding can have its interior point land
			// on the area's edge: decide by how much of it overlaps.
			if !prepArea.Intersects(f) || f.Intersection(areaG).Area() < 0.5*f.Area() {
				continue
			}
		}
		faces = append(faces, polygonFromGEOS(f))
	}
	sortPolygons(faces)

	// Noded edges, each tagged by the input lines it lies on.
	tags := NewSegmentIndex(clipped)
	edges := make([]Edge, 0, len(lines))
	first := make(map[segKey]int, len(lines))
	for _, ls := range lines {
		e := Edge{Line: ls, Tag: tagOf(tags, ls), Faces: [2]int{-1, -1}}
		first[keyOf(ls[0], ls[1])] = len(edges)
		edges = append(edges, e)
	}
	seen := make([]int8, len(edges))
	for fi, f := range faces {
		for _, r := range f {
			for j := 0; j+1 < len(r); j++ {
				ei, ok := first[keyOf(r[j], r[j+1])]
				if !ok {
					continue
				}
				if seen[ei] < 2 {
					edges[ei].Faces[seen[ei]] = fi
				}
				seen[ei]++
			}
		}
	}
	a := &Arrangement{Faces: faces}
	for i, e := range edges {
		if seen[i] == 0 {
			a.Dangles = append(a.Dangles, e)
			continue
		}
		if e.Faces[0] > e.Faces[1] {
			e.Faces[0], e.Faces[1] = e.Faces[1], e.Faces[0]
		}
		a.Edges = append(a.Edges, e)
	}
	return a, nil
}

// Clip returns the parts of lines inside area, each with its line's tag.
func Clip(ctx context.Context, gctx *geos.Context, area orb.MultiPolygon, lines []TaggedLine) (_ []TaggedLine, err error) {
	defer Recover(&err)
	areaG := ToGEOS(gctx, area)
	return clip(ctx, gctx, areaG, areaG.Prepare(), lines)
}

// clip clips every line to the area, keeping its tag. Lines wholly inside are
// kept as they are, which spares most of the GEOS work.
func clip(ctx context.Context, gctx *geos.Context, areaG *geos.Geom, prepArea *geos.PrepGeom, lines []TaggedLine) ([]TaggedLine, error) {
	var clipped []TaggedLine
	for i, tl := range lines {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if len(tl.Line) < 2 {
			continue
		}
		lg := gctx.NewLineString(coords(tl.Line))
		if prepArea.ContainsProperly(lg) {
			clipped = append(clipped, tl)
			continue
		}
		if !prepArea.Intersects(lg) {
			continue
		}
		for _, part := range Lines(FromGEOS(lg.Intersection(areaG))) {
			clipped = append(clipped, TaggedLine{Line: part, Tag: tl.Tag})
		}
	}
	return clipped, nil
}

// segKey identifies an undirected segment by its exact end coordinates: the
// polygonizer builds face rings from the very coordinates of the noded edges.
type segKey [4]float64

func keyOf(a, b orb.Point) segKey {
	if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
		a, b = b, a
	}
	return segKey{a[0], a[1], b[0], b[1]}
}

// tagOf returns the largest tag of the input segments that contain the
// midpoint of the edge's longest segment (noding keeps edges on their input
// lines to within the snap-rounding grid; twice the grid is above that and
// far below any real feature gap).
func tagOf(ix *SegmentIndex, ls orb.LineString) int {
	a, b := longestSegment(ls)
	tag, _ := ix.Strongest(orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, 2*GridSize)
	return tag
}

// longestSegment returns the ends of the longest segment of ls (the first,
// if several are as long).
func longestSegment(ls orb.LineString) (a, b orb.Point) {
	best, bestLen := 0, -1.0
	for j := 0; j+1 < len(ls); j++ {
		if d := dist(ls[j], ls[j+1]); d > bestLen {
			best, bestLen = j, d
		}
	}
	return ls[best], ls[best+1]
}

// SegmentDistance is the distance from p to the segment ab.
func SegmentDistance(p, a, b orb.Point) float64 { return dist(p, ClosestOnSegment(p, a, b)) }

// ClosestOnSegment returns the point of segment ab closest to p.
func ClosestOnSegment(p, a, b orb.Point) orb.Point {
	t := along(p, a, b)
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

func dist(a, b orb.Point) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }

// sortPolygons orders faces by the lowest, then leftmost, vertex of their
// outer ring: GEOS's output order is an implementation detail.
func sortPolygons(ps []orb.Polygon) {
	type keyed struct {
		k orb.Point
		p orb.Polygon
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		k := p[0][0]
		for _, q := range p[0] {
			if q[1] < k[1] || (q[1] == k[1] && q[0] < k[0]) {
				k = q
			}
		}
		ks[i] = keyed{k, p}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := cmp.Compare(a.k[1], b.k[1]); c != 0 {
			return c
		}
		return cmp.Compare(a.k[0], b.k[0])
	})
	for i := range ks {
		ps[i] = ks[i].p
	}
}
