package partition

import (
	"context"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// TestMendNecks builds four 100 m blocks in a row under a sliver 4 m wide
// that runs along the first three, and gives the first and third blocks
// and the sliver to one grid: two lumps held together by the sliver alone.
// The mender must leave no grid with a neck, every grid in the band and in
// one piece, and the households where they were; where the grid beside can
// take no lump (the band), it must leave the grids as they are.
func TestMendNecks(t *testing.T) {
	tests := []struct {
		name       string
		households map[string]int // of the blocks a, h, b, k (the row) and s (the sliver), t (the sliver's end)
		mended     int
	}{
		{"a lump goes to a neighbour", map[string]int{"a": 250, "h": 250, "b": 100, "k": 200, "s": 30, "t": 10}, 1},
		{"no neighbour can take a lump", map[string]int{"a": 250, "h": 450, "b": 150, "k": 450, "s": 30, "t": 10}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, block := sliverRow(t, tt.households)
			grid := map[string]int{"a": 0, "s": 0, "b": 0, "h": 1, "k": 2, "t": 2}
			part := make([]int, len(b.Blocks))
			for name, v := range block {
				part[v] = grid[name]
			}
			gctx := geos.NewContext()
			if !b.necked(gctx, part, 0) {
				t.Fatal("the fixture's grid 0 has no neck")
			}
			before := shapeFigures(b, part)
			got := mendNecks(b, DefaultBand, part, neckMemo{})
			after := shapeFigures(b, part)
			if got != tt.mended {
				t.Errorf("mended %d grids, want %d (grids %v)", got, tt.mended, part)
			}
			for g := range 3 {
				if got > 0 && b.necked(gctx, part, g) {
					t.Errorf("grid %d still has a neck: %v", g, part)
				}
				if hh := after.households[g]; hh != before.households[g] && !DefaultBand.Contains(hh) {
					t.Errorf("grid %d holds %d households, outside the band", g, hh)
				}
			}
			if after.pieces != len(after.households) {
				t.Errorf("%d connected pieces in %d grids", after.pieces, len(after.households))
			}
			if got == 0 && after.households[0] != before.households[0] {
				t.Errorf("nothing mended, yet grid 0 went from %d to %d households", before.households[0], after.households[0])
			}
		})
	}
}

// necked reports whether grid g of part has a neck.
func (b *Blocks) necked(gctx *geos.Context, part []int, g int) bool {
	var blocks []int
	for v, p := range part {
		if p == g {
			blocks = append(blocks, v)
		}
	}
	return b.hasNeck(gctx, blocks)
}

// sliverRow builds the blocks a, h, b, k (100 m squares in a row, west to
// east) and above them a sliver 4 m wide: s over a, h and b, t over k; with
// the given households, and returns each block's index by name.
func sliverRow(t *testing.T, households map[string]int) (*Blocks, map[string]int) {
	t.Helper()
	proj := geo.NewLocal(orb.Point{0, 51})
	at := func(x, y float64) orb.Point { return proj.Inverse(orb.Point{x - 200, y - 52}) }
	street := func(pts ...orb.Point) datasets.Barrier {
		return datasets.Barrier{Class: datasets.ClassStreet, Line: orb.LineString(pts)}
	}
	in := Input{
		Boundary: orb.MultiPolygon{{{at(0, 0), at(400, 0), at(400, 104), at(0, 104), at(0, 0)}}},
		Barriers: []datasets.Barrier{
			street(at(-10, 100), at(410, 100)),
			street(at(100, -10), at(100, 100)), street(at(200, -10), at(200, 100)),
			street(at(300, -10), at(300, 114)),
		},
	}
	centre := map[string]orb.Point{"a": {50, 50}, "h": {150, 50}, "b": {250, 50}, "k": {350, 50}, "s": {150, 102}, "t": {350, 102}}
	for name, c := range centre {
		in.Households = append(in.Households, datasets.Households{Point: at(c[0], c[1]), Count: households[name]})
	}
	b, err := BuildBlocks(context.Background(), in, BlockOptions{Band: DefaultBand})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Blocks) != len(centre) {
		t.Fatalf("%d blocks, want %d", len(b.Blocks), len(centre))
	}
	block := map[string]int{}
	for name, c := range centre {
		p := b.Proj.Forward(at(c[0], c[1]))
		for v, blk := range b.Blocks {
			if planar.PolygonContains(blk.Shape, p) {
				block[name] = v
			}
		}
	}
	return b, block
}
