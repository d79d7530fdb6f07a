package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

// TestSegmentIndexStrongest checks that the largest tag within reach wins,
// and that nothing within reach says so.
func TestSegmentIndexStrongest(t *testing.T) {
	ix := NewSegmentIndex([]TaggedLine{
		{Line: orb.LineString{{0, 0}, {100, 0}}, Tag: 3},
		{Line: orb.LineString{{0, 10}, {100, 10}}, Tag: 7},
		{Line: orb.LineString{{0, -10}, {50, -10}}, Tag: 1},
	})
	tests := []struct {
		name string
		p    orb.Point
		d    float64
		tag  int
		ok   bool
	}{
		{"only the nearest line within reach", orb.Point{50, 1}, 5, 3, true},
		{"the stronger of two within reach", orb.Point{50, 4}, 8, 7, true},
		{"the weak line alone", orb.Point{20, -14}, 5, 1, true},
		{"nothing within reach", orb.Point{200, 0}, 5, 0, false},
		{"at the end of a segment", orb.Point{105, 0}, 5, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tag, ok := ix.Strongest(tt.p, tt.d)
			if tag != tt.tag || ok != tt.ok {
				t.Errorf("Strongest(%v, %v) = %d, %v; want %d, %v", tt.p, tt.d, tag, ok, tt.tag, tt.ok)
			}
		})
	}
}
