package partition

import (
	"math"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
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

// squareEdges returns the edges between four 100 m squares in a row: a
// railway between the first two, with a street round its end; a main road
// between the second and third; a secondary road between the third and
// fourth.
func squareEdges() []geo.Edge {
	return []geo.Edge{
		{Line: orb.LineString{{100, 0}, {100, 80}}, Tag: int(datasets.ClassRailway), Faces: [2]int{0, 1}},
		{Line: orb.LineString{{100, 80}, {100, 100}}, Tag: int(datasets.ClassStreet), Faces: [2]int{0, 1}},
		{Line: orb.LineString{{200, 0}, {200, 100}}, Tag: int(datasets.ClassPrimary), Faces: [2]int{1, 2}},
		{Line: orb.LineString{{300, 0}, {300, 100}}, Tag: int(datasets.ClassSecondary), Faces: [2]int{2, 3}},
	}
}

// TestThroughReasons checks why a main feature inside a grid is said to run
// through it, on the squares of squareEdges.
func TestThroughReasons(t *testing.T) {
	edges := squareEdges()
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

// TestMostThrough checks which grids the through figure is laid on, on the
// squares of squareEdges: metres on an edge inside a grid count for
// that grid, metres inside a single block for none, and the grid with most
// comes first.
func TestMostThrough(t *testing.T) {
	edges := squareEdges()
	b := &Blocks{Edges: edges}
	for _, h := range []int{150, 150, 250, 250} {
		b.Blocks = append(b.Blocks, Block{Households: h})
	}
	r := &Result{Blocks: b, BlockGrid: []int{0, 0, 1, 1}, Band: DefaultBand, Grids: []Grid{{Code: "A"}, {Code: "B"}}}
	w := r.throughReasons()
	for _, m := range []struct {
		at    orb.Point
		times int
	}{{orb.Point{300, 50}, 1}, {orb.Point{100, 40}, 3}, {orb.Point{50, 50}, 2}} {
		for range m.times {
			w.add(m.at, 1)
		}
	}
	// 6 metres run through grids, and they are 0.6 of all major length.
	got := w.most(r.Grids, 0.6)
	want := []GridThrough{{Code: "A", Metres: 3, Share: 0.3}, {Code: "B", Metres: 1, Share: 0.1}}
	if len(got) != len(want) {
		t.Fatalf("most = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Code != want[i].Code || got[i].Metres != want[i].Metres || math.Abs(got[i].Share-want[i].Share) > 1e-12 {
			t.Errorf("most = %+v, want %+v", got, want)
		}
	}
}

// TestNecked checks what counts as a grid with a neck: two lumps joined by a
// strip narrower than minContact, not by a wider one, and not one lump with
// a thin tail.
func TestNecked(t *testing.T) {
	// Two 40 m squares 20 m apart, joined by a strip of the given width
	// along y = 20; tail gives the western one a thin spur instead.
	dumbbell := func(width float64) orb.Polygon {
		lo, hi := 20-width/2, 20+width/2
		return orb.Polygon{{{0, 0}, {40, 0}, {40, lo}, {60, lo}, {60, 0}, {100, 0}, {100, 40}, {60, 40}, {60, hi}, {40, hi}, {40, 40}, {0, 40}, {0, 0}}}
	}
	tail := orb.Polygon{{{0, 0}, {40, 0}, {40, 19}, {90, 19}, {90, 21}, {40, 21}, {40, 40}, {0, 40}, {0, 0}}}
	gctx := geos.NewContext()
	for _, tc := range []struct {
		name string
		p    orb.Polygon
		want bool
	}{
		{"a square", orb.Polygon{{{0, 0}, {40, 0}, {40, 40}, {0, 40}, {0, 0}}}, false},
		{"joined by 2 m", dumbbell(2), true},
		{"joined by 4 m", dumbbell(4), true},
		{"joined by 8 m", dumbbell(8), false},
		{"a thin tail", tail, false},
	} {
		if got := necked(gctx, tc.p); got != tc.want {
			t.Errorf("%s: necked = %v, want %v", tc.name, got, tc.want)
		}
	}
}
