package partition

import (
	"slices"
	"testing"

	"github.com/gridline/gridline/datasets"
)

// TestDropPinches checks which contacts make blocks neighbours: all that
// share minContact of edge or more, and of the shorter ones only those that
// join blocks no longer contact joins, the longest first.
func TestDropPinches(t *testing.T) {
	street := func(u, v int, l float64) contact { return contact{u: u, v: v, class: datasets.ClassStreet, length: l} }
	// Four blocks round a crossroads whose side streets meet the main one
	// a metre apart: 0 and 2 lie diagonally across it.
	square := []contact{street(0, 1, 80), street(1, 2, 80), street(2, 3, 80), street(3, 0, 80)}
	for _, tc := range []struct {
		name string
		n    int
		in   []contact
		want []contact
	}{
		{"no pinch", 4, square, square},
		{"diagonal stub dropped", 4,
			append(slices.Clone(square), street(0, 2, 1)),
			square},
		{"a stub that is the only link stays", 5,
			append(slices.Clone(square), street(4, 0, 1)),
			append(slices.Clone(square), street(4, 0, 1))},
		{"of two stubs to the same blocks the longer stays", 5,
			append(slices.Clone(square), street(4, 0, 2), street(4, 1, 3)),
			append(slices.Clone(square), street(4, 1, 3))},
		{"short contacts of one pair add up", 4,
			append(slices.Clone(square), street(0, 2, 3), contact{u: 2, v: 0, class: datasets.ClassPath, length: 2.5}),
			append(slices.Clone(square), street(0, 2, 3), contact{u: 2, v: 0, class: datasets.ClassPath, length: 2.5})},
		{"a stub between two sets of blocks", 6,
			[]contact{street(0, 1, 50), street(2, 3, 50), street(4, 5, 50), street(1, 2, 4), street(0, 3, 1), street(3, 4, 0.5)},
			[]contact{street(0, 1, 50), street(2, 3, 50), street(4, 5, 50), street(1, 2, 4), street(3, 4, 0.5)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := dropPinches(tc.n, slices.Clone(tc.in)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
