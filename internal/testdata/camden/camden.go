// Package camden names the bundled Camden demo data as a partition reads it:
// the borough, OSM, census household points and MSOAs as communities.
package camden

import (
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/internal/testdata"
)

// Paths returns the bundled Camden files.
func Paths(tb testing.TB) datasets.Paths {
	tb.Helper()
	return datasets.Paths{
		Boundary:    testdata.Bundled(tb, "camden/boundary.geojson"),
		OSM:         testdata.Bundled(tb, "camden/camden.osm.pbf"),
		Households:  testdata.Bundled(tb, "camden/households.geojson"),
		Communities: testdata.Bundled(tb, "camden/msoa.geojson"),
	}
}
