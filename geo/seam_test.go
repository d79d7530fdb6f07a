package geo

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// sameNoding reports how two nodings of one linework differ: in the lines'
// segments (as a multiset, direction aside) and in how many lines there are
// (a line runs between nodes, so the count checks that the halves' pieces
// were joined where, and only where, the whole has no node).
func sameNoding(t *testing.T, got, want []orb.LineString) {
	t.Helper()
	segs := func(ls []orb.LineString) map[segKey]int {
		m := map[segKey]int{}
		for _, l := range ls {
			for j := 0; j+1 < len(l); j++ {
				m[keyOf(l[j], l[j+1])]++
			}
		}
		return m
	}
	g, w := segs(got), segs(want)
	missing, extra := 0, 0
	for k, n := range w {
		if g[k] < n {
			missing += n - g[k]
		}
	}
	for k, n := range g {
		if w[k] < n {
			extra += n - w[k]
		}
	}
	if missing > 0 || extra > 0 {
		t.Errorf("%d segments of the whole noding missing, %d not in it (of %d)", missing, extra, len(w))
	}
	if len(got) != len(want) {
		t.Errorf("%d lines, want %d", len(got), len(want))
	}
}

// TestNodeAcross nodes linework in two halves about the seam x = 0 and
// checks it against the whole noded at once.
func TestNodeAcross(t *testing.T) {
	line := func(pts ...orb.Point) TaggedLine { return TaggedLine{Line: pts, Tag: 1} }
	for _, tt := range []struct {
		name  string
		lines []TaggedLine
	}{
		{"one line across", []TaggedLine{line(orb.Point{-10, 1}, orb.Point{10, 3})}},
		{"a line across and back", []TaggedLine{line(orb.Point{-10, 0}, orb.Point{10, 5}, orb.Point{-10, 10})}},
		{"two lines crossing on the seam", []TaggedLine{
			line(orb.Point{-10, -10}, orb.Point{10, 10}),
			line(orb.Point{-10, 10}, orb.Point{10, -10}),
		}},
		{"two lines crossing a tenth of a micrometre off the seam", []TaggedLine{
			line(orb.Point{-10, -10.000001}, orb.Point{10, 10}),
			line(orb.Point{-10, 10}, orb.Point{10, -10}),
		}},
		{"nearly coincident lines across", []TaggedLine{
			line(orb.Point{-10, 2}, orb.Point{10, 2.5}),
			line(orb.Point{-10, 2.0000003}, orb.Point{10, 2.5000002}),
		}},
		{"a ring across, touching nothing", []TaggedLine{
			line(orb.Point{-5, -5}, orb.Point{5, -5}, orb.Point{5, 5}, orb.Point{-5, 5}, orb.Point{-5, -5}),
		}},
		{"a ring across, with a street through", []TaggedLine{
			line(orb.Point{-5, -5}, orb.Point{5, -5}, orb.Point{5, 5}, orb.Point{-5, 5}, orb.Point{-5, -5}),
			line(orb.Point{-20, 0.3}, orb.Point{20, -0.2}),
		}},
		{"lines ending near the seam", []TaggedLine{
			line(orb.Point{-10, 0}, orb.Point{-0.002, 0}),
			line(orb.Point{0.002, 1}, orb.Point{10, 1}),
			line(orb.Point{-10, 3}, orb.Point{10, 3}),
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			whole, err := snapRound(tt.lines)
			if err != nil {
				t.Fatal(err)
			}
			halves, err := nodeAcross(context.Background(), tt.lines, 0)
			if err != nil {
				t.Fatal(err)
			}
			sameNoding(t, halves, whole)
		})
	}
}

// streetGrid returns n×n jittered streets across a square of side 100·n
// metres, each street a line with a vertex every 10 m, and diagonals across
// them: linework large enough to be noded in halves.
func streetGrid(n int, seed uint64) []TaggedLine {
	rng := rand.New(rand.NewPCG(seed, 1))
	side := 100 * float64(n)
	var out []TaggedLine
	for i := range n {
		at := 100*float64(i) + 50 + rng.Float64()*20
		var ew, ns orb.LineString
		for x := 0.0; x <= side; x += 10 {
			j := rng.Float64() * 0.5
			ew = append(ew, orb.Point{x, at + j})
			ns = append(ns, orb.Point{at + j, x})
		}
		out = append(out, TaggedLine{Line: ew, Tag: 1}, TaggedLine{Line: ns, Tag: 2})
	}
	for range n {
		a := orb.Point{rng.Float64() * side, rng.Float64() * side}
		b := orb.Point{rng.Float64() * side, rng.Float64() * side}
		out = append(out, TaggedLine{Line: orb.LineString{a, b}, Tag: 3})
	}
	return out
}

// TestNodeInHalves draws its own seam through a street grid of 25,920
// segments and nodes it in halves, as Arrange does with real linework.
func TestNodeInHalves(t *testing.T) {
	lines := streetGrid(36, 1)
	halves, split, err := nodeInHalves(context.Background(), lines)
	if err != nil {
		t.Fatal(err)
	}
	if !split {
		t.Fatal("no seam drawn through 25,920 segments")
	}
	whole, err := snapRound(lines)
	if err != nil {
		t.Fatal(err)
	}
	sameNoding(t, halves, whole)
}

func TestSeamAt(t *testing.T) {
	many := streetGrid(36, 2)
	seam, ok := seamAt(many)
	if !ok {
		t.Fatal("no seam through 25,920 segments")
	}
	for _, tl := range many {
		for _, p := range tl.Line {
			if math.Abs(p[0]-seam) < seamClearance {
				t.Fatalf("vertex %v within %g of the seam x = %v", p, seamClearance, seam)
			}
		}
	}
	if seam < 1200 || seam > 2400 {
		t.Errorf("seam x = %v, want it near the middle of the 3.6 km square", seam)
	}
	if _, ok := seamAt(streetGrid(10, 3)); ok {
		t.Error("a seam drawn through 300 segments, too few to be worth it")
	}
	// Vertices every 0.1 mm leave no gap clear enough.
	var dense []TaggedLine
	for i := range minSeamSegments + 1 {
		x := float64(i) * 1e-4
		dense = append(dense, TaggedLine{Line: orb.LineString{{x, 0}, {x, 1}}})
	}
	if seam, ok := seamAt(dense); ok {
		t.Errorf("seam x = %v drawn through vertices a tenth of a millimetre apart", seam)
	}
}
