package partition

import (
	"context"
	"strings"
	"testing"

	"github.com/gridline/gridline/datasets"
)

// TestUnsolvedFix checks that a grid no partition into whole blocks can keep
// in the band is reported with the band changes that would let it stand.
func TestUnsolvedFix(t *testing.T) {
	street := func(bool, int) datasets.Class { return datasets.ClassStreet }
	tests := []struct {
		name       string
		households []int // of the blocks, west to east
		want       []string
	}{
		// 550 households fit two grids in [200, 500], but not as 150 and 400:
		// the block of 400 is one building, so it cannot be cut.
		{"a pocket beside one heavy block", []int{150, 400}, []string{"lower --min to 150", "raise --max to 550 so that it can join grid", "(400 households)"}},
		// 150 + 390 + 150: the middle block cannot be shared by both
		// pockets; each fix is for the grid it names.
		{"two pockets beside one block", []int{150, 390, 150}, []string{"lower --min to 150", "raise --max to 540 so that it can join grid", "(390 households)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			widths := make([]float64, len(tt.households))
			for i := range widths {
				widths[i] = 100
			}
			b, cells := rectBlocks(t, widths, []float64{100}, street)
			for v, c := range cells {
				b.Blocks[v].Households = tt.households[c[0]]
			}
			r, err := Partition(context.Background(), b, Options{Band: DefaultBand, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			var fixes []string
			for _, p := range r.Problems {
				if p.Kind == KindUnsolved {
					fixes = append(fixes, p.Fix)
				}
			}
			if len(fixes) == 0 {
				t.Fatalf("problems %+v: want a grid reported unsolved", r.Problems)
			}
			for _, w := range tt.want {
				if !strings.Contains(fixes[0], w) {
					t.Errorf("fix %q does not say %q", fixes[0], w)
				}
			}
		})
	}
}
