package tiles_test

import (
	"testing"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// gapArea sums, over the zoom-12 tiles over Camden, the area the gaps layer
// draws inside each tile (tile units²), and counts the gap features.
func gapArea(t *testing.T, src *tiles.Source) (area float64, features int) {
	t.Helper()
	core := orb.Bound{Max: orb.Point{tiles.Extent, tiles.Extent}}
	for _, tl := range camdenTiles(src, 12) {
		for _, l := range decoded(t, src, tl) {
			if l.Name != tiles.LayerGaps {
				continue
			}
			for _, f := range l.Features {
				features++
				for _, p := range geo.Polygons(f.Geometry) {
					area += clippedArea(core, p)
				}
			}
		}
	}
	return area, features
}

// TestGapsFromStore: before a first partition the whole borough is a gap;
// once partitioned, no gap is left.
func TestGapsFromStore(t *testing.T) {
	ctx := t.Context()
	st, _ := fixture.TempStore(t)
	im := fixture.CamdenImport(t)
	im.Result = nil // blocks only: no grid yet
	if err := st.Import(ctx, im); err != nil {
		t.Fatal(err)
	}
	src, err := tiles.FromStore(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	area, n := gapArea(t, src)
	r := fixture.Camden(t)
	borough := 0.0
	for _, p := range r.Blocks.Proj.Unproject(r.Blocks.Area.Clone()).(orb.MultiPolygon) {
		borough += planar.Area(mercator(p))
	}
	unit := 40075016.68557849 / 4096 / tiles.Extent // metres per unit at zoom 12
	if want := borough / (unit * unit); n == 0 || area < 0.99*want || area > 1.01*want {
		t.Errorf("unpartitioned: gaps draw %.4g units² in %d features, the borough is %.4g", area, n, want)
	}

	src, err = tiles.FromStore(ctx, fixture.CamdenStore(t))
	if err != nil {
		t.Fatal(err)
	}
	if area, n := gapArea(t, src); n != 0 {
		t.Errorf("partitioned: %d gap features drawing %.4g units²", n, area)
	}
}
