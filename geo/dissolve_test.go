package geo

import (
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// TestDissolve merges two squares that share an edge, given with their rings
// started at every vertex in turn and wound either way: the outline is one
// polygon, counter-clockwise, starting at its lowest-left vertex, the same
// every time.
func TestDissolve(t *testing.T) {
	west := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	east := orb.Ring{{10, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 0}}
	turn := func(r orb.Ring, k int, reverse bool) orb.Ring {
		out := append(append(orb.Ring{}, r[k:len(r)-1]...), r[:k+1]...)
		if reverse {
			out.Reverse()
		}
		return out
	}
	gctx := geos.NewContext()
	var first orb.Polygon
	for k := range 4 {
		for _, reverse := range []bool{false, true} {
			got, err := Dissolve(gctx, []orb.Polygon{{turn(west, k, reverse)}, {turn(east, 3-k, reverse)}})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || len(got[0]) != 1 {
				t.Fatalf("start %d, reversed %v: %v, want one polygon without holes", k, reverse, got)
			}
			if first == nil {
				first = got[0]
				if first[0][0] != (orb.Point{0, 0}) || first[0].Orientation() != orb.CCW {
					t.Errorf("outline %v, want it counter-clockwise from (0, 0)", first)
				}
			}
			if !reflect.DeepEqual(got[0], first) {
				t.Errorf("start %d, reversed %v: %v, want %v as from the first input", k, reverse, got[0], first)
			}
		}
	}
}
