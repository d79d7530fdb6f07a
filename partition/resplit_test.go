package partition

import (
	"cmp"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/testdata/camden"
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
	if p, ok := nb.unshared(); ok {
		t.Errorf("the blocks are no coverage: an edge at %v is on one outline only", p)
	}
}

// TestResplitCamden cuts the 200 most populous of Camden's blocks again, far
// finer than a run ever does (pieces under 40 households), and checks that
// the blocks stay a coverage that holds every household: the splicing of
// cutBlock, which matches nodes to edges within a tolerance, against real
// streets, buildings and community lines.
func TestResplitCamden(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Camden's blocks")
	}
	ctx := context.Background()
	b, _, _, err := Build(ctx, camden.Paths(t), Options{Band: DefaultBand}, false)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := b.unshared(); ok {
		t.Fatalf("the blocks as built are no coverage: an edge at %v is on one outline only", p)
	}
	order := make([]int, len(b.Blocks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(b.Blocks[j].Households, b.Blocks[i].Households) })
	point := map[int]orb.Point{} // a household point of each block
	for i, bi := range b.HouseholdBlock {
		if _, ok := point[bi]; !ok && bi >= 0 {
			point[bi] = b.Points[i].Point
		}
	}
	var at []orb.Point
	for _, bi := range order[:200] {
		at = append(at, point[bi])
	}
	nb, err := b.Resplit(ctx, at, BlockOptions{Band: DefaultBand, SplitBelow: 40})
	if err != nil {
		t.Fatal(err)
	}
	// On this machine: 5,067 blocks become 6,047.
	if len(nb.Blocks) < len(b.Blocks)+500 {
		t.Errorf("%d blocks after cutting, from %d: want hundreds more", len(nb.Blocks), len(b.Blocks))
	}
	if p, ok := nb.unshared(); ok {
		t.Errorf("the blocks cut again are no coverage: an edge at %v is on one outline only", p)
	}
	if before, after := totalHouseholds(b), totalHouseholds(nb); after != before {
		t.Errorf("blocks hold %d households after cutting, %d before", after, before)
	}
}

// TestUnshared finds where blocks fail to share their edges vertex for vertex.
func TestUnshared(t *testing.T) {
	area := orb.MultiPolygon{{{{0, 0}, {200, 0}, {200, 100}, {0, 100}, {0, 0}}}}
	west := orb.Polygon{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}
	east := orb.Polygon{{{100, 0}, {200, 0}, {200, 100}, {100, 100}, {100, 0}}}
	westSplit := orb.Polygon{{{0, 0}, {100, 0}, {100, 50}, {100, 100}, {0, 100}, {0, 0}}}
	for _, tt := range []struct {
		name   string
		blocks []orb.Polygon
		want   orb.Point
		found  bool
	}{
		{"a coverage", []orb.Polygon{west, east}, orb.Point{}, false},
		{"a vertex the neighbour lacks", []orb.Polygon{westSplit, east}, orb.Point{100, 25}, true},
		{"a vertex on both", []orb.Polygon{westSplit, {{{100, 0}, {200, 0}, {200, 100}, {100, 100}, {100, 50}, {100, 0}}}}, orb.Point{}, false},
		{"a gap between blocks", []orb.Polygon{west}, orb.Point{100, 50}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &Blocks{Area: area}
			for _, p := range tt.blocks {
				b.Blocks = append(b.Blocks, Block{Shape: p})
			}
			got, found := b.unshared()
			if found != tt.found || got != tt.want {
				t.Errorf("unshared() = %v, %v; want %v, %v", got, found, tt.want, tt.found)
			}
		})
	}
}
