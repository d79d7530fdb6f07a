package partition

import (
	"context"
	"slices"
	"testing"

	"github.com/gridline/gridline/datasets"
)

// TestAnneal checks the annealer on lattices of blocks: it takes main
// features out of grids where the band lets it, never at the price of the
// band or of a grid's unity, leaves grids outside the band as they are, and
// gives the same grids whatever the number of workers.
func TestAnneal(t *testing.T) {
	railRows := func(vertical bool, _ int) datasets.Class {
		if vertical {
			return datasets.ClassStreet
		}
		return datasets.ClassRailway
	}
	tests := []struct {
		name  string
		class func(vertical bool, i int) datasets.Class
		grid  map[[2]int]int // lattice cell → grid; the rest is grid 1
		heavy map[[2]int]int // households of cells other than 100
		// want: no main feature inside a grid at the end
		clear bool
		// fixed: cells whose grid must not change
		fixed [][2]int
	}{
		// Two grids of 400 households side by side, each across the
		// railway between the rows: a grid per row keeps it on their edge.
		{name: "a railway comes out of two grids", class: railRows,
			grid: map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {0, 1}: 0, {1, 1}: 0}, clear: true},
		// The same, with a block of 600 households in the bottom row as a
		// grid of its own, outside the band: it stays, and so the grids of
		// the other blocks are what can change.
		{name: "a grid above the band stays", class: railRows,
			grid:  map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {0, 1}: 0, {1, 1}: 0, {3, 0}: 2},
			heavy: map[[2]int]int{{3, 0}: 600},
			fixed: [][2]int{{3, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			solve := func(workers int) ([]int, figures, figures) {
				b, cells := rectBlocks(t, []float64{100, 100, 100, 100}, []float64{100, 100}, tt.class)
				part := make([]int, len(b.Blocks))
				for v, c := range cells {
					part[v] = 1
					if g, ok := tt.grid[c]; ok {
						part[v] = g
					}
					if h, ok := tt.heavy[c]; ok {
						b.Blocks[v].Households = h
					}
				}
				before := shapeFigures(b, part)
				old := slices.Clone(part)
				if _, err := anneal(context.Background(), b, DefaultBand, part, 1, workers); err != nil {
					t.Fatal(err)
				}
				for v, c := range cells {
					if slices.Contains(tt.fixed, c) && part[v] != old[v] {
						t.Errorf("the block at %v, in a grid outside the band, moved from grid %d to %d", c, old[v], part[v])
					}
				}
				return part, before, shapeFigures(b, part)
			}
			part, before, after := solve(2)
			t.Logf("%+v -> %+v", before, after)
			if tt.clear && after.majorInside > 0 {
				t.Errorf("%.0f m of main features inside grids after annealing (%.0f before), want none", after.majorInside, before.majorInside)
			}
			if after.majorInside > before.majorInside {
				t.Errorf("%.0f m of main features inside grids after annealing, more than the %.0f before", after.majorInside, before.majorInside)
			}
			if annealObjective(after) > annealObjective(before) {
				t.Errorf("the annealer's objective rose from %.1f to %.1f", annealObjective(before), annealObjective(after))
			}
			for g, hh := range after.households {
				if !DefaultBand.Contains(hh) && before.households[g] != hh {
					t.Errorf("grid %d holds %d households, outside the band", g, hh)
				}
			}
			if after.pieces != len(after.households) {
				t.Errorf("%d connected pieces in %d grids", after.pieces, len(after.households))
			}
			if one, _, _ := solve(1); !slices.Equal(one, part) {
				t.Errorf("one worker gave grids %v, two gave %v", one, part)
			}
		})
	}
}

// annealObjective is the objective the annealer lowers: roundOff's, with main
// features inside grids at annealMajor times their price (the lattices'
// only main feature is a railway).
func annealObjective(f figures) float64 {
	return f.objective() + (annealMajor-1)*costs[datasets.ClassRailway].In*f.majorInside
}

// TestAnnealCamden checks what the annealer does to Camden's grids: the
// partition of the same blocks without it leaves more main-feature length
// inside grids, and no fewer grids with a neck.
func TestAnnealCamden(t *testing.T) {
	r, rep := camdenRun(t)
	rough, err := Partition(context.Background(), r.Blocks, Options{Band: DefaultBand, Seed: 1, rough: true})
	if err != nil {
		t.Fatal(err)
	}
	q, err := rough.Measure()
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Quality
	t.Logf("without the annealer: through %.4f, necks %d, Polsby–Popper median %.3f; with it: %.4f, %d, %.3f",
		q.MajorThrough, q.Necked, q.PolsbyPopperMedian, a.MajorThrough, a.Necked, a.PolsbyPopperMedian)
	if a.MajorThrough > q.MajorThrough-0.02 {
		t.Errorf("main features through grids: %.4f annealed, %.4f not: want 2 points less", a.MajorThrough, q.MajorThrough)
	}
	if a.Necked > q.Necked {
		t.Errorf("%d grids with a neck annealed, %d not: want no more", a.Necked, q.Necked)
	}
	if a.InBandShare != q.InBandShare || a.Grids != q.Grids {
		t.Errorf("annealed: %d grids, %.4f in the band; not: %d, %.4f: want the same", a.Grids, a.InBandShare, q.Grids, q.InBandShare)
	}
}
