package partition

import (
	"strings"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/testdata"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// TestCamdenUnits partitions Camden from its 749 census Output Areas as the
// atoms (--units): every area must stay whole in one grid, with or without
// OSM beside them, and the grids keep every rule that grids built from
// streets keep. With OSM, the streets and main features name the unit edges
// they run along, so that grid boundaries prefer those edges.
func TestCamdenUnits(t *testing.T) {
	tests := []struct {
		name string
		osm  string
		// onFeature is the least share of internal grid boundary within 3 m
		// of a feature: output area lines follow postcodes, often the backs
		// of gardens rather than streets, so about half is all there is.
		onFeature float64
	}{
		{"units alone", "", 0},
		{"units guided by OSM", testdata.Bundled(t, "camden/camden.osm.pbf"), 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := datasets.Paths{
				Boundary:    testdata.Bundled(t, "camden/boundary.geojson"),
				Units:       testdata.Shared(t, "camden/output_areas.geojson"),
				Communities: testdata.Bundled(t, "camden/msoa.geojson"),
				OSM:         tt.osm,
			}
			r, rep := runReal(t, p, 1)
			q := rep.Quality
			if rep.HouseholdSource != "units" || q.Households != 97534 || q.InBandShare != 1 {
				t.Errorf("households %d from %q, in band %.4f: want all 97,534 census households from units, every grid in the band", q.Households, rep.HouseholdSource, q.InBandShare)
			}
			if q.BoundaryOnFeature < tt.onFeature {
				t.Errorf("internal boundary on a feature: %.3f, want ≥ %.2f", q.BoundaryOnFeature, tt.onFeature)
			}
			if len(r.Blocks.Blocks) > 749+len(r.Blocks.Communities) {
				t.Errorf("%d blocks from 749 units: something cut them", len(r.Blocks.Blocks))
			}
			checkUnitsWhole(t, r, p.Units)
		})
	}
}

// checkUnitsWhole checks that each unit lies whole in one grid: the grid
// that holds its households holds (all but rounding of) its area.
func checkUnitsWhole(t *testing.T, r *Result, path string) {
	t.Helper()
	units, err := datasets.ReadUnits(path)
	if err != nil {
		t.Fatal(err)
	}
	gctx := geos.NewContext()
	grids := make([]*geos.Geom, len(r.Grids))
	var shapes []orb.Polygon
	for i, g := range r.Grids {
		grids[i] = geo.ToGEOS(gctx, g.Shape)
		shapes = append(shapes, g.Shape)
	}
	ix := geo.NewPolygonIndex(shapes)
	split := 0
	for _, u := range units {
		shape := geo.ToGEOS(gctx, r.Blocks.Proj.Project(u.Shape))
		inner, _ := geo.FromGEOS(shape.PointOnSurface()).(orb.Point)
		g := ix.Locate(inner)
		if g < 0 {
			t.Fatalf("unit %d lies in no grid", u.Index)
		}
		if share := shape.Intersection(grids[g]).Area() / shape.Area(); share < 0.999 {
			split++
			if split <= 3 {
				t.Errorf("unit %d: %.4f of its area in grid %s, want all", u.Index, share, r.Grids[g].Code)
			}
		}
	}
	if split > 0 {
		t.Errorf("%d of %d units split between grids", split, len(units))
	}
}

// TestUnitAtoms checks how units become lines and household points.
func TestUnitAtoms(t *testing.T) {
	square := func(x, y float64) orb.Polygon {
		d := 0.001
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	tests := []struct {
		name   string
		units  []datasets.Unit
		lines  int
		points []int // households of each point
		notes  int   // repairs noted
	}{
		{"one square", []datasets.Unit{{Shape: orb.MultiPolygon{square(0, 51)}, Households: 120}}, 1, []int{120}, 0},
		{"empty unit draws lines but holds nobody", []datasets.Unit{{Shape: orb.MultiPolygon{square(0, 51)}}}, 1, nil, 0},
		{"two parts, one point", []datasets.Unit{{Shape: orb.MultiPolygon{square(0, 51), square(0.01, 51)}, Households: 80}}, 2, []int{80}, 0},
		{"bow tie repaired into two triangles", []datasets.Unit{{Shape: orb.MultiPolygon{{{{0, 51}, {0.001, 51.001}, {0.001, 51}, {0, 51.001}, {0, 51}}}}, Households: 50}}, 2, []int{50}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, points, notes, err := unitAtoms(tt.units)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != tt.notes {
				t.Errorf("%d repairs noted (%v), want %d", len(notes), notes, tt.notes)
			}
			if len(lines) != tt.lines {
				t.Errorf("%d lines, want %d", len(lines), tt.lines)
			}
			for _, l := range lines {
				if l.Class != datasets.ClassNone || len(l.Line) < 4 || l.Line[0] != l.Line[len(l.Line)-1] {
					t.Errorf("line %v of class %v: want closed rings of no class", l.Line, l.Class)
				}
			}
			if len(points) != len(tt.points) {
				t.Fatalf("%d points, want %d", len(points), len(tt.points))
			}
			for i, pt := range points {
				if pt.Count != tt.points[i] {
					t.Errorf("point %d holds %d, want %d", i, pt.Count, tt.points[i])
				}
				var inside bool
				for _, l := range lines {
					inside = inside || planar.RingContains(orb.Ring(l.Line), pt.Point)
				}
				if !inside {
					t.Errorf("point %v inside none of the unit's rings", pt.Point)
				}
			}
		})
	}
}

// TestUnitAtomsUnrepairable checks that a unit with no area left once
// repaired is rejected with its feature's index.
func TestUnitAtomsUnrepairable(t *testing.T) {
	flat := orb.MultiPolygon{{{{0, 51}, {0.001, 51}, {0.002, 51}, {0, 51}}}}
	_, _, _, err := unitAtoms([]datasets.Unit{{Shape: flat, Households: 10, Index: 7}})
	if err == nil || !strings.Contains(err.Error(), "feature 7") {
		t.Fatalf("err = %v, want an error naming feature 7", err)
	}
}
