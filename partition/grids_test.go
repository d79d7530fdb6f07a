package partition

import (
	"testing"

	"github.com/gridline/gridline/datasets"
)

// TestAbsorbEmpty checks that a grid of nobody joins a grid beside it with
// households, through other empty grids if need be, and that grids with
// households are never joined.
func TestAbsorbEmpty(t *testing.T) {
	street := func(bool, int) datasets.Class { return datasets.ClassStreet }
	for _, tc := range []struct {
		name   string
		empty  []int // columns whose blocks hold no household
		part   []int // grid of each column
		joined [][2]int
		grids  int
	}{
		{"nothing empty", nil, []int{0, 1, 2, 3}, nil, 4},
		{"an empty grid", []int{0}, []int{0, 1, 2, 3}, [][2]int{{0, 1}}, 3},
		{"a chain of empty grids", []int{0, 1}, []int{0, 1, 2, 3}, [][2]int{{0, 1}, {1, 2}}, 2},
		{"an empty grid between two", []int{2}, []int{0, 0, 1, 2}, [][2]int{{2, 1}}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One row of four squares: a grid shares as much edge with the
			// grid on either side of it.
			b, cells := rectBlocks(t, []float64{100, 100, 100, 100}, []float64{100}, street)
			col := make([]int, len(b.Blocks))
			for v, c := range cells {
				col[v] = c[0]
			}
			for v := range b.Blocks {
				for _, e := range tc.empty {
					if col[v] == e {
						b.Blocks[v].Households = 0
					}
				}
			}
			as := &Assignment{Part: make([]int, len(b.Blocks))}
			for v := range as.Part {
				as.Part[v] = tc.part[col[v]]
				as.Parts = max(as.Parts, as.Part[v]+1)
			}
			as.Community = make([]int, as.Parts)
			absorbEmpty(b, as)
			if as.Parts != tc.grids || len(as.Community) != tc.grids {
				t.Fatalf("%d grids (%d communities), want %d", as.Parts, len(as.Community), tc.grids)
			}
			at := func(c int) int {
				for v := range col {
					if col[v] == c {
						return as.Part[v]
					}
				}
				return -1
			}
			for _, j := range tc.joined {
				if at(j[0]) != at(j[1]) {
					t.Errorf("columns %d and %d are in grids %d and %d, want one", j[0], j[1], at(j[0]), at(j[1]))
				}
			}
			for v := range b.Blocks {
				if b.Blocks[v].Households > 0 {
					for u := range b.Blocks {
						if b.Blocks[u].Households > 0 && tc.part[col[u]] != tc.part[col[v]] && as.Part[u] == as.Part[v] {
							t.Errorf("columns %d and %d, grids with households, were joined", col[u], col[v])
						}
					}
				}
			}
		})
	}
}

// TestTrees checks the budget of tree cuts: small jurisdictions get the most
// trees, a city of 100,000 blocks the fewest, and a count asked for is kept.
func TestTrees(t *testing.T) {
	tests := []struct {
		name  string
		trees int // asked for
		n     int // blocks
		want  int
	}{
		{"Camden", 0, 5068, maxTrees},
		{"one block", 0, 1, maxTrees},
		{"no block", 0, 0, maxTrees},
		{"a larger town", 0, 20000, treeWork / 20000},
		{"the generated city", 0, 100000, minTrees},
		{"asked for", 3, 100000, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Options{Trees: tt.trees}).trees(tt.n); got != tt.want {
				t.Errorf("trees(%d) = %d, want %d", tt.n, got, tt.want)
			}
		})
	}
}
