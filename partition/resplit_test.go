package partition

import (
	"context"
	"math"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// TestResplit cuts one block of two again, alone, and checks that the blocks
// still tile the jurisdiction: areas and households kept, every edge on the
// outlines of the blocks it names, and the cut block's pieces and its
// neighbour still a coverage that dissolves into one polygon.
func TestResplit(t *testing.T) {
	// Two 100 m squares side by side, parted by a street at x = 100. The
	// western one holds 320 households in two columns of eight houses, so
	// that a cut runs east–west, across the street's edge; the eastern one
	// holds 100.
	proj := geo.NewLocal(orb.Point{0, 51})
	at := func(x, y float64) orb.Point { return proj.Inverse(orb.Point{x - 100, y - 50}) }
	in := Input{
		Boundary: orb.MultiPolygon{{{at(0, 0), at(200, 0), at(200, 100), at(0, 100), at(0, 0)}}},
		Barriers: []datasets.Barrier{{Class: datasets.ClassStreet, Line: orb.LineString{at(100, -10), at(100, 110)}}},
	}
	for _, x := range []float64{30, 70} {
		for j := range 8 {
			in.Households = append(in.Households, datasets.Households{Point: at(x, 6.25+12.5*float64(j)), Count: 20})
		}
	}
	in.Households = append(in.Households, datasets.Households{Point: at(150, 50), Count: 100})
	ctx := context.Background()
	b, err := BuildBlocks(ctx, in, BlockOptions{Band: DefaultBand})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Blocks) != 2 {
		t.Fatalf("%d blocks before, want 2", len(b.Blocks))
	}
	if same, err := b.Resplit(ctx, []orb.Point{at(150, 50)}, BlockOptions{Band: DefaultBand}); err != nil || same != b {
		t.Fatalf("a block below SplitBelow was cut again (err %v)", err)
	}

	nb, err := b.Resplit(ctx, []orb.Point{at(30, 50)}, BlockOptions{Band: DefaultBand})
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Blocks) < 3 {
		t.Fatalf("%d blocks after, want the western one cut", len(nb.Blocks))
	}
	if len(b.Blocks) != 2 || len(b.Blocks[0].Shape[0]) != 5 || len(b.Blocks[1].Shape[0]) != 5 {
		t.Fatal("the blocks that were cut again changed in place")
	}
	// The cut meets the street: the edge to the eastern block is split.
	east, street := nb.HouseholdBlock[len(nb.Points)-1], 0
	for _, e := range nb.Edges {
		if (e.Faces[0] == east) != (e.Faces[1] == east) && e.Faces[0] >= 0 {
			street++
		}
	}
	if street < 2 {
		t.Errorf("the eastern block meets %d western blocks, want the street's edge split", street)
	}
	area, households := 0.0, 0
	for i, blk := range nb.Blocks {
		area += blk.Area
		households += blk.Households
		if blk.Households > 250 {
			t.Errorf("block %d holds %d households, above SplitBelow", i, blk.Households)
		}
	}
	if want := 200.0 * 100; math.Abs(area-want) > 1e-6 {
		t.Errorf("blocks cover %.9f m², want %.0f", area, want)
	}
	if households != 420 {
		t.Errorf("blocks hold %d households, want 420", households)
	}
	for i, h := range nb.Points {
		if !planar.PolygonContains(nb.Blocks[nb.HouseholdBlock[i]].Shape, nb.Proj.Forward(h.Point)) {
			t.Errorf("household %d is not in its block %d", i, nb.HouseholdBlock[i])
		}
	}
	onOutline := func(p orb.Point, poly orb.Polygon) bool {
		for _, r := range poly {
			for j := 0; j+1 < len(r); j++ {
				if geo.SegmentDistance(p, r[j], r[j+1]) < 1e-5 {
					return true
				}
			}
		}
		return false
	}
	for _, e := range nb.Edges {
		for _, p := range e.Line {
			for _, f := range e.Faces {
				if f >= 0 && !onOutline(p, nb.Blocks[f].Shape) {
					t.Errorf("edge %v (faces %v) leaves the outline of block %d", e.Line, e.Faces, f)
				}
			}
		}
	}
	var shapes []orb.Polygon
	for _, blk := range nb.Blocks {
		shapes = append(shapes, blk.Shape)
	}
	whole, err := geo.Dissolve(geos.NewContext(), shapes)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 1 || len(whole[0]) != 1 || math.Abs(planar.Area(whole[0])-200*100) > 1e-6 {
		t.Errorf("the blocks dissolve into %d polygons, not the one square", len(whole))
	}
}
