package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestSplitLine(t *testing.T) {
	ls := orb.LineString{{0, 0}, {10, 0}, {10, 10}}
	for _, tc := range []struct {
		name  string
		at    []orb.Point
		parts []orb.LineString
	}{
		{"nothing on it", []orb.Point{{5, 5}, {20, 0}}, []orb.LineString{ls}},
		{"its ends do not split it", []orb.Point{{0, 0}, {10, 10}}, []orb.LineString{ls}},
		{"inside a segment", []orb.Point{{4, 0}},
			[]orb.LineString{{{0, 0}, {4, 0}}, {{4, 0}, {10, 0}, {10, 10}}}},
		{"at a vertex", []orb.Point{{10, 0}},
			[]orb.LineString{{{0, 0}, {10, 0}}, {{10, 0}, {10, 10}}}},
		{"within tolerance, in any order", []orb.Point{{10, 6}, {3, 1e-7}},
			[]orb.LineString{{{0, 0}, {3, 1e-7}}, {{3, 1e-7}, {10, 0}, {10, 6}}, {{10, 6}, {10, 10}}}},
		{"twice at one place", []orb.Point{{4, 0}, {4, 0}},
			[]orb.LineString{{{0, 0}, {4, 0}}, {{4, 0}, {10, 0}, {10, 10}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts, split := SplitLine(ls, tc.at, 1e-6)
			if len(parts) != len(tc.parts) {
				t.Fatalf("parts %v, want %v", parts, tc.parts)
			}
			for i := range parts {
				if !parts[i].Equal(tc.parts[i]) {
					t.Errorf("part %d = %v, want %v", i, parts[i], tc.parts[i])
				}
			}
			if len(split) != len(parts)-1 {
				t.Errorf("split at %v, want %d points", split, len(parts)-1)
			}
		})
	}
}

func TestInsertVertex(t *testing.T) {
	square := func() orb.Polygon { return orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}} }
	for _, tc := range []struct {
		name  string
		p     orb.Point
		found bool
		ring  orb.Ring
	}{
		{"on an edge", orb.Point{10, 4}, true, orb.Ring{{0, 0}, {10, 0}, {10, 4}, {10, 10}, {0, 10}, {0, 0}}},
		{"at a vertex", orb.Point{10, 10}, true, square()[0]},
		{"off the outline", orb.Point{5, 5}, false, square()[0]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := square()
			if got := InsertVertex(p, tc.p, 1e-6); got != tc.found {
				t.Errorf("found = %v, want %v", got, tc.found)
			}
			if !p[0].Equal(tc.ring) {
				t.Errorf("ring %v, want %v", p[0], tc.ring)
			}
		})
	}
}

func TestBeside(t *testing.T) {
	// The longest segment is the second; left of it (going up) is west.
	left, right := Beside(orb.LineString{{0, 0}, {2, 0}, {2, 10}}, 0.5)
	if !left.Equal(orb.Point{1.5, 5}) || !right.Equal(orb.Point{2.5, 5}) {
		t.Errorf("beside = %v, %v; want [1.5 5], [2.5 5]", left, right)
	}
}
