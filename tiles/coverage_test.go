package tiles

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestCoverageSimplifiesSharedEdgesOnce: two squares share a wavy edge; a
// third, tiny one sits on their corner. Simplified, the shared edge is the
// same line in both squares (their areas still sum to the whole), and the
// tiny square, which the tolerance would flatten, keeps its shape.
func TestCoverageSimplifiesSharedEdgesOnce(t *testing.T) {
	wave := []orb.Point{{10, 0}, {10.2, 2}, {9.8, 4}, {10.3, 6}, {9.9, 8}, {10, 10}}
	left := orb.Polygon{append(orb.Ring{{0, 0}}, append(wave, orb.Point{0, 10}, orb.Point{0, 0})...)}
	var back orb.Ring = orb.Ring{{20, 0}, {20, 10}}
	for i := len(wave) - 1; i >= 0; i-- {
		back = append(back, wave[i])
	}
	right := orb.Polygon{append(back, orb.Point{20, 0})}
	tiny := orb.Polygon{{{20, 10}, {20.1, 10}, {20.1, 10.1}, {20, 10.1}, {20, 10}}}
	c := newCoverage([]orb.Polygon{left, right, tiny})
	whole := planar.Area(left) + planar.Area(right)
	tests := []struct {
		name      string
		tolerance float64
		maxPoints int // of the left square's ring
	}{
		{"none", 0, len(left[0])},
		{"half a unit", 0.5, 6},
		{"two units", 2, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := c.simplified(tc.tolerance, nil)
			if len(s[0]) != 1 || len(s[1]) != 1 || len(s[2]) != 1 {
				t.Fatalf("rings: %d %d %d", len(s[0]), len(s[1]), len(s[2]))
			}
			if n := len(s[0][0]); n > tc.maxPoints {
				t.Errorf("left square keeps %d points, want at most %d", n, tc.maxPoints)
			}
			if got := planar.Area(s[0]) + planar.Area(s[1]); abs(got-whole) > 1e-9 {
				t.Errorf("the squares cover %v, want %v: their shared edge differs", got, whole)
			}
			if got := planar.Area(s[2]); abs(got-planar.Area(tiny)) > 1e-12 {
				t.Errorf("tiny square: area %v, want %v", got, planar.Area(tiny))
			}
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
