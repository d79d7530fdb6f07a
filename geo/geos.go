package geo

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// ToGEOS converts an orb geometry to a GEOS one in ctx. A GEOS context
// serialises its calls, so long jobs use one context per goroutine.
func ToGEOS(ctx *geos.Context, g orb.Geometry) *geos.Geom {
	switch g := g.(type) {
	case orb.Point:
		return ctx.NewPointFromXY(g[0], g[1])
	case orb.LineString:
		return ctx.NewLineString(coords(g))
	case orb.Ring:
		return ctx.NewLineString(coords(g))
	case orb.Polygon:
		return ctx.NewPolygon(polygonCoords(g))
	case orb.MultiLineString:
		parts := make([]*geos.Geom, len(g))
		for i, ls := range g {
			parts[i] = ctx.NewLineString(coords(ls))
		}
		return ctx.NewCollection(geos.TypeIDMultiLineString, parts)
	case orb.MultiPolygon:
		parts := make([]*geos.Geom, len(g))
		for i, p := range g {
			parts[i] = ctx.NewPolygon(polygonCoords(p))
		}
		return ctx.NewCollection(geos.TypeIDMultiPolygon, parts)
	case orb.Collection:
		parts := make([]*geos.Geom, len(g))
		for i, p := range g {
			parts[i] = ToGEOS(ctx, p)
		}
		return ctx.NewCollection(geos.TypeIDGeometryCollection, parts)
	case orb.Bound:
		return ctx.NewPolygon(polygonCoords(g.ToPolygon()))
	}
	panic(fmt.Sprintf("geo: ToGEOS: unsupported geometry %T", g))
}

func coords[T ~[]orb.Point](pts T) [][]float64 {
	out := make([][]float64, len(pts))
	for i, p := range pts {
		out[i] = []float64{p[0], p[1]}
	}
	return out
}

func polygonCoords(p orb.Polygon) [][][]float64 {
	out := make([][][]float64, len(p))
	for i, r := range p {
		out[i] = coords(r)
	}
	return out
}

func points(cs [][]float64) []orb.Point {
	out := make([]orb.Point, len(cs))
	for i, c := range cs {
		out[i] = orb.Point{c[0], c[1]}
	}
	return out
}

// FromGEOS converts a GEOS geometry to orb. Empty geometries return nil.
func FromGEOS(g *geos.Geom) orb.Geometry {
	if g == nil || g.IsEmpty() {
		return nil
	}
	switch g.TypeID() {
	case geos.TypeIDPoint:
		return orb.Point{g.X(), g.Y()}
	case geos.TypeIDLineString, geos.TypeIDLinearRing:
		return orb.LineString(points(g.CoordSeq().ToCoords()))
	case geos.TypeIDPolygon:
		return polygonFromGEOS(g)
	case geos.TypeIDMultiLineString:
		out := make(orb.MultiLineString, 0, g.NumGeometries())
		for i := range g.NumGeometries() {
			out = append(out, orb.LineString(points(g.Geometry(i).CoordSeq().ToCoords())))
		}
		return out
	case geos.TypeIDMultiPolygon:
		out := make(orb.MultiPolygon, 0, g.NumGeometries())
		for i := range g.NumGeometries() {
			out = append(out, polygonFromGEOS(g.Geometry(i)))
		}
		return out
	default:
		out := make(orb.Collection, 0, g.NumGeometries())
		for i := range g.NumGeometries() {
			if part := FromGEOS(g.Geometry(i)); part != nil {
				out = append(out, part)
			}
		}
		return out
	}
}

func polygonFromGEOS(g *geos.Geom) orb.Polygon {
	p := make(orb.Polygon, 0, 1+g.NumInteriorRings())
	p = append(p, orb.Ring(points(g.ExteriorRing().CoordSeq().ToCoords())))
	for i := range g.NumInteriorRings() {
		p = append(p, orb.Ring(points(g.InteriorRing(i).CoordSeq().ToCoords())))
	}
	return p
}

// Polygons returns the polygonal parts of g (a Polygon, MultiPolygon or a
// collection holding them); lines and points are dropped.
func Polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	case orb.Collection:
		var out []orb.Polygon
		for _, part := range g {
			out = append(out, Polygons(part)...)
		}
		return out
	}
	return nil
}

// Lines returns the linear parts of g.
func Lines(g orb.Geometry) []orb.LineString {
	switch g := g.(type) {
	case orb.LineString:
		return []orb.LineString{g}
	case orb.MultiLineString:
		return g
	case orb.Collection:
		var out []orb.LineString
		for _, part := range g {
			out = append(out, Lines(part)...)
		}
		return out
	}
	return nil
}

// Repair returns a valid polygonal version of a (multi)polygon and, when it had
// to change anything, the reason GEOS gave for the input being invalid. It
// returns an error when nothing polygonal is left.
func Repair(ctx *geos.Context, g orb.Geometry) (orb.MultiPolygon, string, error) {
	gg := ToGEOS(ctx, g)
	if gg.IsValid() {
		return orb.MultiPolygon(Polygons(g)), "", nil
	}
	reason := gg.IsValidReason()
	fixed := orb.MultiPolygon(Polygons(FromGEOS(gg.MakeValid())))
	if len(fixed) == 0 {
		return nil, reason, fmt.Errorf("invalid geometry (%s) has no area once repaired", reason)
	}
	return fixed, reason, nil
}

// SnapRound rounds a polygonal area to the arrangement's GridSize, the
// precision its faces come out at.
func SnapRound(ctx *geos.Context, mp orb.MultiPolygon) (_ orb.MultiPolygon, err error) {
	defer Recover(&err)
	out := orb.MultiPolygon(Polygons(FromGEOS(ToGEOS(ctx, mp).SetPrecision(GridSize, geos.PrecisionRuleNone))))
	if len(out) == 0 {
		return nil, fmt.Errorf("no area left once rounded to %g m", GridSize)
	}
	return out, nil
}
