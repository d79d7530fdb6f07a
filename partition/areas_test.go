package partition

import (
	"slices"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/testdata"
	"github.com/paulmach/orb"
)

// TestCamdenHouseholdAreas partitions Camden with its households spread from
// the 749 census Output Areas onto the residential buildings in OSM
// (--household-areas). The first solve leaves one grid below the band, a
// pocket whose only neighbour in its community is a block too heavy to share;
// Run cuts that block and solves again, so that every grid ends in the band.
func TestCamdenHouseholdAreas(t *testing.T) {
	p := datasets.Paths{
		Boundary:       testdata.Bundled(t, "camden/boundary.geojson"),
		HouseholdAreas: testdata.Shared(t, "camden/output_areas.geojson"),
		Communities:    testdata.Bundled(t, "camden/msoa.geojson"),
		OSM:            testdata.Bundled(t, "camden/camden.osm.pbf"),
	}
	r, rep := runReal(t, p, 1)
	q := rep.Quality
	if q.Households != 97534 || q.InBandShare != 1 {
		t.Errorf("households %d, in band %.4f: want all 97,534 and every grid", q.Households, q.InBandShare)
	}
	if q.BoundaryOnFeature < 0.99 {
		t.Errorf("internal boundary on a feature %.4f, want ≥ 0.99", q.BoundaryOnFeature)
	}
	for _, pr := range r.Problems {
		t.Errorf("problem left: %+v", pr)
	}
	if rep.StageSeconds("resplit") == 0 {
		t.Errorf("stages %v: want a second solve after cutting the crowding blocks", rep.Stages)
	}
}

// TestCrowding checks which blocks Run cuts for a second solve: those in or
// beside an unsolved grid, in its community, too heavy to share.
func TestCrowding(t *testing.T) {
	// Blocks in a row, 0-1-2-3; block 3 lies in another community.
	hh := []int{150, 373, 30, 400}
	comm := []int{0, 0, 0, 1}
	b := &Blocks{Proj: geo.NewLocal(orb.Point{0, 51})}
	for i := range hh {
		b.Blocks = append(b.Blocks, Block{Households: hh[i], Community: comm[i]})
		b.Points = append(b.Points, datasets.Households{Point: orb.Point{float64(i) * 0.001, 51}, Count: hh[i]})
		b.HouseholdBlock = append(b.HouseholdBlock, i)
	}
	for i := 0; i+1 < len(hh); i++ {
		b.Edges = append(b.Edges, geo.Edge{Faces: [2]int{i, i + 1}})
	}
	opt := BlockOptions{Band: DefaultBand}.withDefaults()
	tests := []struct {
		name      string
		blockGrid []int
		unsolved  []string // codes of the grids reported unsolved
		want      []int    // blocks whose point is returned
	}{
		{"nothing unsolved", []int{0, 1, 1, 2}, nil, nil},
		{"a light pocket crowded by a heavy neighbour", []int{0, 1, 1, 2}, []string{"g0"}, []int{1}},
		{"a heavy block inside the unsolved grid", []int{0, 0, 1, 2}, []string{"g0"}, []int{1}},
		{"the heavy neighbour in the community, not the one across its line", []int{0, 0, 1, 2}, []string{"g1"}, []int{1}},
		{"certified problems are not retried", []int{0, 1, 1, 2}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Result{Blocks: b, Band: DefaultBand, BlockGrid: tt.blockGrid}
			for gi := range 3 {
				r.Grids = append(r.Grids, Grid{Code: "g" + string(rune('0'+gi))})
			}
			for v, gi := range tt.blockGrid {
				r.Grids[gi].Blocks = append(r.Grids[gi].Blocks, v)
			}
			for _, code := range tt.unsolved {
				r.Problems = append(r.Problems, Problem{Kind: KindUnsolved, Grid: code})
			}
			r.Problems = append(r.Problems, Problem{Kind: KindIsolated, Grid: "g2"})
			var got []int
			for _, p := range r.crowding(opt) {
				got = append(got, slices.IndexFunc(b.Points, func(h datasets.Households) bool { return h.Point == p }))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("crowding blocks %v, want %v", got, tt.want)
			}
		})
	}
}
