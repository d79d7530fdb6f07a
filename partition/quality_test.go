package partition

import (
	"math"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
)

// TestMajorBetweenHouseholds checks the share of main features that a grid
// worker must cross to reach the grid's homes, on three 100 m squares in a
// row: a railway between the first two, a street between the last two.
func TestMajorBetweenHouseholds(t *testing.T) {
	square := func(x float64) orb.Polygon {
		return orb.Polygon{{{x, 0}, {x + 100, 0}, {x + 100, 100}, {x, 100}, {x, 0}}}
	}
	edges := []geo.Edge{
		{Line: orb.LineString{{100, 0}, {100, 100}}, Tag: int(datasets.ClassRailway), Faces: [2]int{0, 1}},
		{Line: orb.LineString{{200, 0}, {200, 100}}, Tag: int(datasets.ClassStreet), Faces: [2]int{1, 2}},
		{Line: orb.LineString{{0, 0}, {300, 0}}, Tag: int(datasets.ClassPrimary), Faces: [2]int{0, -1}},
	}
	tests := []struct {
		name       string
		households [3]int
		grids      [3]int
		want       float64
	}{
		// The railway's middle 80 m lie over 10 m from the outline; the main
		// road on the jurisdiction's edge is never inside a grid.
		{"one grid, homes on both sides", [3]int{300, 100, 100}, [3]int{0, 0, 0}, 80.0 / 400},
		{"one grid, nobody beside the railway", [3]int{0, 250, 250}, [3]int{0, 0, 0}, 0},
		{"railway between two grids", [3]int{250, 100, 150}, [3]int{0, 1, 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Blocks{Edges: edges}
			var outlines []geo.TaggedLine
			grids := map[int]orb.Bound{}
			for i := range 3 {
				b.Blocks = append(b.Blocks, Block{Shape: square(float64(100 * i)), Households: tt.households[i]})
				g := tt.grids[i]
				if bd, ok := grids[g]; ok {
					grids[g] = bd.Union(square(float64(100 * i)).Bound())
				} else {
					grids[g] = square(float64(100 * i)).Bound()
				}
			}
			for _, bd := range grids {
				outlines = append(outlines, geo.TaggedLine{Line: orb.LineString(bd.ToRing())})
			}
			r := &Result{Blocks: b, BlockGrid: tt.grids[:]}
			got := r.majorBetweenHouseholds(geo.NewSegmentIndex(outlines))
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("share = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestThroughReasons checks why a main feature inside a grid is said to run
// through it, on four 100 m squares in a row: a railway between the first
// two, with a street round its end; a main road between the second and
// third; a secondary road between the third and fourth.
func TestThroughReasons(t *testing.T) {
	edges := []geo.Edge{
		{Line: orb.LineString{{100, 0}, {100, 80}}, Tag: int(datasets.ClassRailway), Faces: [2]int{0, 1}},
		{Line: orb.LineString{{100, 80}, {100, 100}}, Tag: int(datasets.ClassStreet), Faces: [2]int{0, 1}},
		{Line: orb.LineString{{200, 0}, {200, 100}}, Tag: int(datasets.ClassPrimary), Faces: [2]int{1, 2}},
		{Line: orb.LineString{{300, 0}, {300, 100}}, Tag: int(datasets.ClassSecondary), Faces: [2]int{2, 3}},
	}
	tests := []struct {
		name       string
		households [4]int
		grids      [4]int
		at         orb.Point // a metre of a main feature far from every grid outline
		want       throughReason
	}{
		{"a feature in the middle of a block", [4]int{150, 150, 250, 250}, [4]int{0, 0, 1, 1}, orb.Point{50, 50}, insideBlock},
		{"the railway has a way round its end", [4]int{150, 150, 250, 250}, [4]int{0, 0, 1, 1}, orb.Point{100, 40}, withinPiece},
		{"a grid takes in a piece where nobody lives", [4]int{150, 150, 0, 300}, [4]int{0, 0, 0, 1}, orb.Point{200, 50}, emptyPiece},
		{"a grid takes in a piece too small to stand alone", [4]int{150, 150, 100, 300}, [4]int{0, 0, 0, 1}, orb.Point{200, 50}, smallPiece},
		{"both pieces could stand alone", [4]int{150, 150, 250, 250}, [4]int{0, 0, 1, 1}, orb.Point{300, 50}, chosen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Blocks{Edges: edges}
			for i := range 4 {
				b.Blocks = append(b.Blocks, Block{Households: tt.households[i]})
			}
			r := &Result{Blocks: b, BlockGrid: tt.grids[:], Band: DefaultBand}
			w := r.throughReasons()
			w.add(tt.at, 1)
			why := w.shares(0.25)
			got := []float64{why.InsideBlock, why.WithinPiece, why.EmptyPiece, why.SmallPiece, why.Chosen}
			for k, share := range got {
				want := 0.0
				if throughReason(k) == tt.want {
					want = 0.25
				}
				if share != want {
					t.Errorf("reasons %+v: want all 0.25 of the through share in field %d", why, tt.want)
					break
				}
			}
		})
	}
}
