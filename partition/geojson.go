package partition

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// FeatureCollection returns the grids as RFC 7946 GeoJSON: WGS84, outer rings
// counter-clockwise, one Feature per grid in code order. A grid is a Polygon
// unless it is a declared exclave (a MultiPolygon, with "exclave": true).
func (r *Result) FeatureCollection() *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, g := range r.Grids {
		var geom orb.Geometry = r.Blocks.Proj.Unproject(g.Shape)
		if len(g.Exclave) > 0 {
			mp := orb.MultiPolygon{g.Shape}
			mp = append(mp, g.Exclave...)
			geom = r.Blocks.Proj.Unproject(mp)
		}
		f := geojson.NewFeature(geom)
		c := r.Blocks.Communities[g.Community]
		f.Properties["code"] = g.Code
		f.Properties["households"] = g.Households
		f.Properties["community"] = c.Code
		if c.Name != "" {
			f.Properties["community_name"] = c.Name
		}
		f.Properties["area_m2"] = math.Round(g.Area*10) / 10
		f.Properties["blocks"] = len(g.Blocks)
		if g.Exception != "" {
			f.Properties["exception"] = g.Exception
		}
		if len(g.Exclave) > 0 {
			f.Properties["exclave"] = true
		}
		fc.Append(f)
	}
	return fc
}
