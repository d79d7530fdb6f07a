package partition

import (
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/internal/testdata"
)

// TestAndorraInvariants partitions a mountain country: households estimated
// from OSM buildings, parishes as the level above, ridges from SRTM terrain.
func TestAndorraInvariants(t *testing.T) {
	p := datasets.Paths{
		Boundary:    testdata.Shared(t, "andorra/boundary.geojson"),
		OSM:         testdata.Shared(t, "andorra/andorra.osm.bz2"),
		DEM:         []string{testdata.Shared(t, "andorra/N42E001.hgt.zip")},
		Communities: testdata.Shared(t, "andorra/parishes.geojson"),
	}
	r, rep := runReal(t, p, 1)
	q := rep.Quality
	if rep.HouseholdSource != "estimated from buildings" || q.Households < 10000 {
		t.Errorf("households %d from %q: want thousands estimated from buildings", q.Households, rep.HouseholdSource)
	}
	if q.InBandShare < 0.97 {
		t.Errorf("grids within the band: %.3f, want ≥ 0.97", q.InBandShare)
	}
	// The empty ground that only a building too large for any grid borders
	// goes with that building: no grid of nobody.
	for _, g := range r.Grids {
		if g.Households == 0 {
			t.Errorf("grid %s holds no household", g.Code)
		}
	}
	// Valley roads are the main features here: as dear to straddle as the
	// rivers beside them, they left 27 % inside grids where they had left 40 %.
	if q.MajorThrough > 0.32 {
		t.Errorf("major features through grids: %.3f, want ≤ 0.32", q.MajorThrough)
	}
	ridges := 0.0
	for _, e := range r.Blocks.Edges {
		if datasets.Class(e.Tag) == datasets.ClassRidge && e.Faces[0] >= 0 && r.BlockGrid[e.Faces[0]] != r.BlockGrid[e.Faces[1]] {
			ridges += e.Length()
		}
	}
	if ridges < 1000 {
		t.Errorf("grids follow %.0f m of ridges; terrain divides should bound rural grids", ridges)
	}
}
