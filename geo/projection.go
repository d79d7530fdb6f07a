package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// WGS84 ellipsoid.
const (
	wgs84A  = 6378137.0
	wgs84E2 = 6.69437999014e-3
)

// Local is an equirectangular projection tangent at Origin, in metres east and
// north of it. Its scale uses the ellipsoid's radii of curvature at the origin's
// latitude, so over a district-sized area (tens of kilometres) lengths and areas
// are within a few parts in ten thousand, while the inverse is exact: a vertex
// shared by two grids projects back to one and the same WGS84 coordinate.
type Local struct {
	Origin orb.Point
	kx, ky float64 // metres per degree of longitude and latitude
}

// NewLocal returns the local projection centred on origin (lon, lat).
func NewLocal(origin orb.Point) Local {
	phi := origin[1] * math.Pi / 180
	s := math.Sin(phi)
	w := math.Sqrt(1 - wgs84E2*s*s)
	n := wgs84A / w                           // prime vertical radius
	m := wgs84A * (1 - wgs84E2) / (w * w * w) // meridional radius
	return Local{
		Origin: origin,
		kx:     n * math.Cos(phi) * math.Pi / 180,
		ky:     m * math.Pi / 180,
	}
}

// Forward projects a WGS84 point to metres.
func (l Local) Forward(p orb.Point) orb.Point {
	return orb.Point{(p[0] - l.Origin[0]) * l.kx, (p[1] - l.Origin[1]) * l.ky}
}

// Inverse returns the WGS84 point of a projected one.
func (l Local) Inverse(p orb.Point) orb.Point {
	return orb.Point{p[0]/l.kx + l.Origin[0], p[1]/l.ky + l.Origin[1]}
}

// Project returns a projected copy of g.
func (l Local) Project(g orb.Geometry) orb.Geometry {
	return project.Geometry(orb.Clone(g), l.Forward)
}

// Unproject returns a WGS84 copy of a projected g.
func (l Local) Unproject(g orb.Geometry) orb.Geometry {
	return project.Geometry(orb.Clone(g), l.Inverse)
}
