package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// MaxGeoJSONBytes bounds what a GeoJSON reader accepts, so that a wrong file
// (or a hostile upload) cannot exhaust memory.
const MaxGeoJSONBytes = 1 << 30

// A Region is a named polygon of the administrative hierarchy (a jurisdiction,
// a community).
type Region struct {
	Code  string
	Name  string
	Shape orb.MultiPolygon
	Index int // feature index in its file, for messages
}

// A Households is a point that holds Count households (a residential building).
type Households struct {
	Point orb.Point
	Count int
	Index int
}

// A Unit is a polygon with a household count: a census block used as an atom,
// or an area whose count is spread over the buildings inside it.
type Unit struct {
	Shape      orb.MultiPolygon
	Households int
	Index      int
}

// ReadFeatureCollection reads a GeoJSON FeatureCollection (or a lone Feature or
// geometry), checking that it is not empty, that it declares no CRS other than
// WGS84, and that every coordinate is a longitude/latitude.
func ReadFeatureCollection(path string) (*geojson.FeatureCollection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fc, err := DecodeFeatureCollection(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fc, nil
}

// DecodeFeatureCollection is ReadFeatureCollection on a reader.
func DecodeFeatureCollection(r io.Reader) (*geojson.FeatureCollection, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxGeoJSONBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxGeoJSONBytes {
		return nil, fmt.Errorf("larger than %d bytes", MaxGeoJSONBytes)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, errors.New("empty file: expected a GeoJSON FeatureCollection")
	}
	var head struct {
		Type string          `json:"type"`
		CRS  json.RawMessage `json:"crs"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not valid JSON (truncated?): %w", err)
	}
	if err := checkCRS(head.CRS); err != nil {
		return nil, err
	}
	var fc *geojson.FeatureCollection
	switch head.Type {
	case "FeatureCollection":
		fc, err = geojson.UnmarshalFeatureCollection(data)
	case "Feature":
		var f *geojson.Feature
		if f, err = geojson.UnmarshalFeature(data); err == nil {
			fc = geojson.NewFeatureCollection().Append(f)
		}
	case "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection":
		var g *geojson.Geometry
		if g, err = geojson.UnmarshalGeometry(data); err == nil {
			fc = geojson.NewFeatureCollection().Append(geojson.NewFeature(g.Geometry()))
		}
	default:
		return nil, fmt.Errorf("GeoJSON type %q: expected a FeatureCollection", head.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("invalid GeoJSON: %w", err)
	}
	if len(fc.Features) == 0 {
		return nil, errors.New("the FeatureCollection has no features")
	}
	for i, f := range fc.Features {
		if f == nil || f.Geometry == nil {
			return nil, fmt.Errorf("feature %d has no geometry", i)
		}
		if err := checkLonLat(f.Geometry); err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, err)
		}
	}
	return fc, nil
}

func checkCRS(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var crs struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &crs); err != nil {
		return fmt.Errorf("unreadable crs member: %w", err)
	}
	name := strings.ToUpper(crs.Properties.Name)
	for _, ok := range []string{"CRS84", "EPSG::4326", "EPSG:4326"} {
		if strings.HasSuffix(name, ok) {
			return nil
		}
	}
	return fmt.Errorf("coordinates are in %q: gridline reads WGS84 longitude/latitude (RFC 7946); reproject first, e.g. ogr2ogr -t_srs EPSG:4326", crs.Properties.Name)
}

func checkLonLat(g orb.Geometry) error {
	var bad error
	walkPoints(g, func(p orb.Point) bool {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			bad = fmt.Errorf("coordinate %v is not a number", p)
			return false
		}
		if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			bad = fmt.Errorf("coordinate (%g, %g) is not WGS84 longitude/latitude (projected metres?); reproject to EPSG:4326", p[0], p[1])
			return false
		}
		return true
	})
	return bad
}

func walkPoints(g orb.Geometry, fn func(orb.Point) bool) bool {
	switch g := g.(type) {
	case orb.Point:
		return fn(g)
	case orb.MultiPoint:
		for _, p := range g {
			if !fn(p) {
				return false
			}
		}
	case orb.LineString:
		return walkPoints(orb.MultiPoint(g), fn)
	case orb.Ring:
		return walkPoints(orb.MultiPoint(g), fn)
	case orb.MultiLineString:
		for _, l := range g {
			if !walkPoints(l, fn) {
				return false
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if !walkPoints(r, fn) {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !walkPoints(p, fn) {
				return false
			}
		}
	case orb.Collection:
		for _, c := range g {
			if !walkPoints(c, fn) {
				return false
			}
		}
	}
	return true
}

// areal returns the polygons of a feature's geometry or an error naming it.
func areal(g orb.Geometry) (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, fmt.Errorf("geometry is a %s: expected a Polygon or MultiPolygon", g.GeoJSONType())
	}
	for _, p := range mp {
		if len(p) == 0 {
			return nil, errors.New("polygon without rings")
		}
		for _, r := range p {
			if len(r) < 4 {
				return nil, fmt.Errorf("ring with %d positions: a linear ring needs at least 4", len(r))
			}
		}
	}
	return mp, nil
}

// ReadRegions reads polygon features as regions. A region's code comes from
// its "code" (or "ref", "id") property, its name from "name"; missing codes
// are numbered in file order so that every region has one.
func ReadRegions(path string) ([]Region, error) {
	fc, err := ReadFeatureCollection(path)
	if err != nil {
		return nil, err
	}
	out := make([]Region, 0, len(fc.Features))
	seen := map[string]int{}
	for i, f := range fc.Features {
		mp, err := areal(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d: %w", path, i, err)
		}
		r := Region{Shape: mp, Index: i, Name: stringProp(f.Properties, "name")}
		r.Code = stringProp(f.Properties, "code", "ref", "id")
		if r.Code == "" {
			r.Code = fmt.Sprintf("C%02d", i+1)
		}
		if j, dup := seen[r.Code]; dup {
			return nil, fmt.Errorf("%s: features %d and %d share the code %q", path, j, i, r.Code)
		}
		seen[r.Code] = i
		out = append(out, r)
	}
	return out, nil
}

// ReadArea reads a jurisdiction outline: the polygons of every feature, and
// the name of the first.
func ReadArea(path string) (Region, error) {
	regions, err := ReadRegions(path)
	if err != nil {
		return Region{}, err
	}
	var out Region
	for i, r := range regions {
		if i == 0 {
			out.Name = r.Name
		}
		out.Shape = append(out.Shape, r.Shape...)
	}
	return out, nil
}

// ReadHouseholds reads points with an integer "households" property.
func ReadHouseholds(path string) ([]Households, error) {
	fc, err := ReadFeatureCollection(path)
	if err != nil {
		return nil, err
	}
	out := make([]Households, 0, len(fc.Features))
	for i, f := range fc.Features {
		n, err := householdsProp(f.Properties)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d: %w", path, i, err)
		}
		switch g := f.Geometry.(type) {
		case orb.Point:
			out = append(out, Households{Point: g, Count: n, Index: i})
		case orb.MultiPoint:
			if len(g) != 1 {
				return nil, fmt.Errorf("%s: feature %d: a MultiPoint of %d points: give each building its own point", path, i, len(g))
			}
			out = append(out, Households{Point: g[0], Count: n, Index: i})
		default:
			return nil, fmt.Errorf("%s: feature %d: geometry is a %s: households are Points (use --units or --household-areas for polygons)", path, i, g.GeoJSONType())
		}
	}
	return out, nil
}

// ReadUnits reads polygons with an integer "households" property.
func ReadUnits(path string) ([]Unit, error) {
	fc, err := ReadFeatureCollection(path)
	if err != nil {
		return nil, err
	}
	out := make([]Unit, 0, len(fc.Features))
	for i, f := range fc.Features {
		n, err := householdsProp(f.Properties)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d: %w", path, i, err)
		}
		mp, err := areal(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d: %w", path, i, err)
		}
		out = append(out, Unit{Shape: mp, Households: n, Index: i})
	}
	return out, nil
}

func householdsProp(p geojson.Properties) (int, error) {
	v, ok := p["households"]
	if !ok {
		return 0, errors.New(`no "households" property`)
	}
	var f float64
	switch v := v.(type) {
	case float64:
		f = v
	case json.Number:
		var err error
		if f, err = v.Float64(); err != nil {
			return 0, fmt.Errorf("households %q is not a number", v)
		}
	default:
		return 0, fmt.Errorf("households is %v (%T): expected a whole number", v, v)
	}
	if f < 0 || f != math.Trunc(f) || f > 1e9 {
		return 0, fmt.Errorf("households %v: expected a whole number ≥ 0", f)
	}
	return int(f), nil
}

func stringProp(p geojson.Properties, keys ...string) string {
	for _, k := range keys {
		switch v := p[k].(type) {
		case string:
			if v != "" {
				return v
			}
		case float64:
			return fmt.Sprint(v)
		}
	}
	return ""
}
