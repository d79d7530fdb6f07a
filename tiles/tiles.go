// Package tiles renders Mapbox Vector Tiles (2.1) of grids, the communities
// they nest in and, close up, their blocks. Shapes are simplified once per
// zoom along the arcs neighbours share, so that neighbouring grids meet
// exactly at every zoom; tiles are clipped with a buffer, rounded to the
// tile grid and wound as the specification asks.
package tiles

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
	"github.com/twpayne/go-geos"

	"github.com/gridline/gridline/geo"
)

// Layer names and zooms: other programs script against them.
const (
	LayerGrids       = "grids"
	LayerCommunities = "communities"
	LayerBlocks      = "blocks"
	LayerBarriers    = "barriers"
	LayerGaps        = "gaps"
	LayerHouseholds  = "households"
	BarriersFrom     = 13 // barriers are drawn from this zoom on
	BlocksFrom       = 14 // blocks, from this one
	HouseholdsFrom   = 15 // household points, from this one
	MaxZoom          = 20
	Extent           = 4096
	Buffer           = 64 // tile units drawn beyond each edge
)

// Feature is a shape to draw with its properties, in WGS84.
type Feature struct {
	ID         uint64
	Shape      orb.Polygon
	Properties map[string]any
}

// Point is a point to draw with its properties, in WGS84.
type Point struct {
	ID         uint64
	Point      orb.Point
	Properties map[string]any
}

// Line is a line to draw with its properties, in WGS84.
type Line struct {
	ID         uint64
	Line       orb.LineString
	Properties map[string]any
}

// ID returns a stable feature id for a code.
func ID(code string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(code))
	return h.Sum64() >> 11 // within a float64's exact integers, for JavaScript decoders
}

// Source holds what the tiles show, and the shapes simplified for each zoom
// so far. It is safe for concurrent use.
type Source struct {
	layers     []*layer
	barriers   *lineLayer
	households *pointLayer
	bound      orb.Bound // WGS84
}

type pointLayer struct {
	points []Point
	merc   []orb.Point
}

type lineLayer struct {
	lines  []Line
	merc   []orb.LineString
	bounds []orb.Bound
	byZoom sync.Map // zoom → []orb.LineString, simplified
}

type layer struct {
	name     string
	minZoom  int
	features []Feature
	merc     []orb.Polygon // Web Mercator metres
	bounds   []orb.Bound   // of merc
	cov      *coverage
	byZoom   sync.Map // zoom → []orb.Polygon, simplified
}

// NewSource prepares grids, communities, blocks, gaps (places no grid
// covers), barrier lines and household points for drawing.
func NewSource(grids, communities, blocks, gaps []Feature, barriers []Line, households []Point) *Source {
	s := &Source{barriers: &lineLayer{lines: barriers}, households: &pointLayer{points: households}}
	for _, l := range barriers {
		m := project.LineString(l.Line.Clone(), project.WGS84.ToMercator)
		s.barriers.merc = append(s.barriers.merc, m)
		s.barriers.bounds = append(s.barriers.bounds, m.Bound())
	}
	for _, p := range households {
		s.households.merc = append(s.households.merc, project.WGS84.ToMercator(p.Point))
	}
	first := true
	for _, l := range []struct {
		name    string
		minZoom int
		fs      []Feature
	}{{LayerCommunities, 0, communities}, {LayerGrids, 0, grids}, {LayerGaps, 0, gaps}, {LayerBlocks, BlocksFrom, blocks}} {
		ly := &layer{name: l.name, minZoom: l.minZoom, features: l.fs}
		for _, f := range l.fs {
			m := project.Polygon(f.Shape.Clone(), project.WGS84.ToMercator)
			ly.merc = append(ly.merc, m)
			ly.bounds = append(ly.bounds, m.Bound())
			if first {
				s.bound, first = f.Shape.Bound(), false
			} else {
				s.bound = s.bound.Union(f.Shape.Bound())
			}
		}
		ly.cov = newCoverage(ly.merc)
		s.layers = append(s.layers, ly)
	}
	return s
}

// Bound returns the extent of what the source shows, in WGS84.
func (s *Source) Bound() orb.Bound { return s.bound }

// ErrOutOfRange is returned for a tile that does not exist.
var ErrOutOfRange = errors.New("tile out of range")

// Render returns the tile z/x/y encoded (not compressed), or nil when no
// feature reaches it.
func (s *Source) Render(z, x, y int) ([]byte, error) {
	if z < 0 || z > MaxZoom || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		return nil, fmt.Errorf("%w: %d/%d/%d (zoom 0–%d, x and y below 2^zoom)", ErrOutOfRange, z, x, y, MaxZoom)
	}
	t := maptile.New(uint32(x), uint32(y), maptile.Zoom(z))
	tb := t.Bound() // WGS84
	nw := project.WGS84.ToMercator(orb.Point{tb.Min[0], tb.Max[1]})
	se := project.WGS84.ToMercator(orb.Point{tb.Max[0], tb.Min[1]})
	unit := (se[0] - nw[0]) / Extent // metres per tile unit
	reach := orb.Bound{
		Min: orb.Point{nw[0] - Buffer*unit, se[1] - Buffer*unit},
		Max: orb.Point{se[0] + Buffer*unit, nw[1] + Buffer*unit},
	}
	box := orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}}
	// Tile y grows southwards, Mercator y northwards.
	toTile := func(p orb.Point) orb.Point { return orb.Point{(p[0] - nw[0]) / unit, (nw[1] - p[1]) / unit} }
	var layers mvt.Layers
	gctx := geos.NewContext() // a context serialises its calls: one per tile
	for _, ly := range s.layers {
		if z < ly.minZoom {
			continue
		}
		shapes := ly.at(z, unit/2)
		fc := geojson.NewFeatureCollection()
		for i, m := range shapes {
			if len(m) == 0 || !ly.bounds[i].Intersects(reach) {
				continue
			}
			p := toTilePolygon(gctx, m, toTile, box)
			if p == nil {
				continue
			}
			f := geojson.NewFeature(p)
			f.ID = ly.features[i].ID
			for k, v := range ly.features[i].Properties {
				f.Properties[k] = v
			}
			fc.Append(f)
		}
		if len(fc.Features) == 0 {
			continue
		}
		// Grids and communities are always redrawn as one coverage: two
		// valid shapes can still cross once snapped. Blocks, many and
		// small, only when a shape came out invalid.
		if err := mend(gctx, fc, ly.name != LayerBlocks); err != nil {
			return nil, fmt.Errorf("tile %d/%d/%d, layer %s: %w", z, x, y, ly.name, err)
		}
		l := mvt.NewLayer(ly.name, fc)
		l.Version, l.Extent = 2, Extent
		layers = append(layers, l)
	}
	if z >= BarriersFrom {
		layers = appendLayer(layers, LayerBarriers, s.barriers.features(z, unit/2, reach, toTile, box))
	}
	if z >= HouseholdsFrom {
		layers = appendLayer(layers, LayerHouseholds, s.households.features(reach, toTile))
	}
	if len(layers) == 0 {
		return nil, nil
	}
	return mvt.Marshal(layers)
}

// mend redraws a layer as one coverage, always or only when some snapped
// shape came out invalid (a narrow neck pinched into a self-crossing): every
// ring of the layer is
// noded on the unit grid and polygonized, each face goes to the first
// feature whose rings hold it (by the even–odd rule, which a crossed ring
// still has), and each feature becomes the union of its faces. Faces
// partition the tile, so the features neither overlap nor leave a gap
// where the snapped shapes did not.
func mend(gctx *geos.Context, fc *geojson.FeatureCollection, always bool) (err error) {
	defer geo.Recover(&err)
	if !always && !slices.ContainsFunc(fc.Features, func(f *geojson.Feature) bool { return !geo.ToGEOS(gctx, f.Geometry).IsValid() }) {
		return nil
	}
	var rings []*geos.Geom
	for _, f := range fc.Features {
		for _, p := range geo.Polygons(f.Geometry) {
			for _, r := range p {
				rings = append(rings, gctx.NewLineString(lineCoords(r)))
			}
		}
	}
	noded := gctx.NewCollection(geos.TypeIDMultiLineString, rings).UnaryUnionPrec(1)
	faces := geo.Polygons(geo.FromGEOS(gctx.Polygonize([]*geos.Geom{noded})))
	// Which feature holds a face: the first whose rings hold a point inside
	// it, by the crossing-number (even–odd) rule.
	var shapes []orb.Polygon
	var bounds []orb.Bound
	var featureOf []int
	for i, f := range fc.Features {
		for _, p := range geo.Polygons(f.Geometry) {
			shapes, bounds, featureOf = append(shapes, p), append(bounds, p.Bound()), append(featureOf, i)
		}
	}
	owned := make([][]orb.Polygon, len(fc.Features))
	for _, face := range faces {
		inside := geo.FromGEOS(geo.ToGEOS(gctx, face).PointOnSurface()).(orb.Point)
		for k, p := range shapes {
			if bounds[k].Contains(inside) && geo.Contains(p, inside) {
				owned[featureOf[k]] = append(owned[featureOf[k]], face)
				break
			}
		}
	}
	for i, f := range fc.Features {
		polys, err := geo.Dissolve(gctx, owned[i])
		if err != nil {
			return err
		}
		f.Geometry = rounded(polys)
		if f.Geometry == nil {
			f.Geometry = orb.MultiPolygon{}
		}
	}
	kept := fc.Features[:0]
	for _, f := range fc.Features {
		if mp, ok := f.Geometry.(orb.MultiPolygon); !ok || len(mp) > 0 {
			kept = append(kept, f)
		}
	}
	fc.Features = kept
	return nil
}

func lineCoords(r orb.Ring) [][]float64 {
	out := make([][]float64, len(r))
	for i, p := range r {
		out[i] = []float64{p[0], p[1]}
	}
	return out
}

// appendLayer adds a layer of features, if there are any.
func appendLayer(layers mvt.Layers, name string, fc *geojson.FeatureCollection) mvt.Layers {
	if len(fc.Features) == 0 {
		return layers
	}
	l := mvt.NewLayer(name, fc)
	l.Version, l.Extent = 2, Extent
	return append(layers, l)
}

// features draws the lines that reach the tile, simplified for zoom z at
// tolerance metres, clipped to box and rounded.
func (ll *lineLayer) features(z int, tolerance float64, reach orb.Bound, toTile func(orb.Point) orb.Point, box orb.Bound) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	v, ok := ll.byZoom.Load(z)
	if !ok {
		dp := simplify.DouglasPeucker(tolerance)
		lines := make([]orb.LineString, len(ll.merc))
		for i, m := range ll.merc {
			lines[i] = dp.LineString(m.Clone())
		}
		v, _ = ll.byZoom.LoadOrStore(z, lines)
	}
	for i, m := range v.([]orb.LineString) {
		if !ll.bounds[i].Intersects(reach) {
			continue
		}
		t := make(orb.LineString, len(m))
		for k, q := range m {
			t[k] = toTile(q)
		}
		var parts orb.MultiLineString
		for _, piece := range clip.LineString(box, t) {
			var r orb.LineString
			for _, q := range piece {
				q = orb.Point{math.Round(q[0]), math.Round(q[1])}
				if len(r) == 0 || q != r[len(r)-1] {
					r = append(r, q)
				}
			}
			if len(r) >= 2 {
				parts = append(parts, r)
			}
		}
		if len(parts) == 0 {
			continue
		}
		var g orb.Geometry = parts
		if len(parts) == 1 {
			g = parts[0]
		}
		f := geojson.NewFeature(g)
		f.ID = ll.lines[i].ID
		for k, val := range ll.lines[i].Properties {
			f.Properties[k] = val
		}
		fc.Append(f)
	}
	return fc
}

// features draws the points inside the tile and its buffer.
func (pl *pointLayer) features(reach orb.Bound, toTile func(orb.Point) orb.Point) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for i, m := range pl.merc {
		if !reach.Contains(m) {
			continue
		}
		q := toTile(m)
		f := geojson.NewFeature(orb.Point{math.Round(q[0]), math.Round(q[1])})
		f.ID = pl.points[i].ID
		for k, v := range pl.points[i].Properties {
			f.Properties[k] = v
		}
		fc.Append(f)
	}
	return fc
}

// at returns the layer's shapes simplified for zoom z, at tolerance metres.
func (ly *layer) at(z int, tolerance float64) []orb.Polygon {
	if v, ok := ly.byZoom.Load(z); ok {
		return v.([]orb.Polygon)
	}
	v, _ := ly.byZoom.LoadOrStore(z, ly.cov.simplified(tolerance, pixelGrid(z)))
	return v.([]orb.Polygon)
}

// worldHalf is half the width of the Web Mercator world, in metres.
const worldHalf = 20037508.342789244

// pixelGrid snaps Mercator points to the grid of tile units at zoom z, which
// every tile of the zoom shares: a shape snapped once is whole units in any
// tile, and shared edges stay shared.
func pixelGrid(z int) func(orb.Point) orb.Point {
	unit := 2 * worldHalf / float64(int(1)<<z) / Extent
	return func(p orb.Point) orb.Point {
		return orb.Point{
			math.Round((p[0]+worldHalf)/unit)*unit - worldHalf,
			worldHalf - math.Round((worldHalf-p[1])/unit)*unit,
		}
	}
}

// toTilePolygon projects a Mercator polygon into tile units, clips it to box,
// rounds it to whole units and winds it for MVT: in tile space (y down) an
// exterior ring has positive area by the shoelace formula and a hole
// negative. It returns nil when nothing of the polygon is left.
func toTilePolygon(gctx *geos.Context, m orb.Polygon, toTile func(orb.Point) orb.Point, box orb.Bound) orb.Geometry {
	p := make(orb.Polygon, 0, len(m))
	for _, r := range m {
		tr := make(orb.Ring, len(r))
		for i, q := range r {
			tr[i] = toTile(q)
		}
		p = append(p, tr)
	}
	if !p.Bound().Intersects(box) {
		return nil
	}
	var clipped []orb.Polygon
	if box.Contains(p.Bound().Min) && box.Contains(p.Bound().Max) {
		clipped = []orb.Polygon{p}
	} else {
		// GEOS's rectangle clipper leaves valid pieces; orb's ring clipper
		// would join them with zero-width bridges along the box.
		var err error
		if clipped, err = clipToBox(gctx, p, box); err != nil {
			return nil
		}
	}
	return rounded(clipped)
}

// rounded rounds and winds polygons (see roundPolygon): a Polygon, a
// MultiPolygon, or nil when none is left.
func rounded(polys []orb.Polygon) orb.Geometry {
	var out orb.MultiPolygon
	for _, p := range polys {
		if q := roundPolygon(p); q != nil {
			out = append(out, q)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

func clipToBox(gctx *geos.Context, p orb.Polygon, box orb.Bound) (_ []orb.Polygon, err error) {
	defer geo.Recover(&err)
	// The y flip into tile space reversed the rings; GEOS's clipper reads
	// the side of a ring from its winding.
	geo.Orient(p)
	g := geo.ToGEOS(gctx, p)
	if !g.IsValid() {
		// Snapped to the tile grid, a narrow neck can cross itself; the
		// clipper would take such a ring for the whole box.
		g = g.MakeValid()
	}
	g = g.ClipByRect(box.Min[0], box.Min[1], box.Max[0], box.Max[1])
	return geo.Polygons(geo.FromGEOS(g)), nil
}

// roundPolygon rounds a polygon in tile units to whole units and winds it
// for MVT; nil when its exterior vanishes.
func roundPolygon(clipped orb.Polygon) orb.Polygon {
	var out orb.Polygon
	for i, r := range clipped {
		rr := make(orb.Ring, 0, len(r))
		for _, q := range r {
			q = orb.Point{math.Round(q[0]), math.Round(q[1])}
			switch {
			case len(rr) > 0 && q == rr[len(rr)-1]:
				// a repeated point
			case len(rr) > 1 && q == rr[len(rr)-2]:
				// a spike rounded flat (out to a point and back): drop the
				// tip. Neighbours run the same points the other way and
				// drop the same tip, so they still meet exactly.
				rr = rr[:len(rr)-1]
			default:
				rr = append(rr, q)
			}
		}
		if len(rr) > 0 && rr[0] != rr[len(rr)-1] {
			rr = append(rr, rr[0])
		}
		if len(rr) < 4 || planar.Area(rr) == 0 {
			if i == 0 {
				return nil // the exterior vanished at this zoom
			}
			continue
		}
		want := orb.CCW // positive shoelace area on raw tile coordinates
		if i > 0 {
			want = orb.CW
		}
		if rr.Orientation() != want {
			rr.Reverse()
		}
		out = append(out, rr)
	}
	return out
}
