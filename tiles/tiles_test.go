package tiles_test

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
	"github.com/twpayne/go-geos"
)

var camden struct {
	once sync.Once
	src  *tiles.Source
}

// camdenSource draws Camden's grids, their communities (dissolved from the
// grids, so that they share the grids' edges) and blocks.
func camdenSource(tb testing.TB) *tiles.Source {
	tb.Helper()
	camden.once.Do(func() {
		r := fixture.Camden(tb)
		b := r.Blocks
		var grids, comms, blocks []tiles.Feature
		byComm := map[int][]orb.Polygon{}
		for _, g := range r.Grids {
			grids = append(grids, tiles.Feature{ID: tiles.ID(g.Code), Shape: b.Proj.Unproject(g.Shape.Clone()).(orb.Polygon),
				Properties: map[string]any{"code": g.Code, "households": g.Households}})
			byComm[g.Community] = append(byComm[g.Community], g.Shape)
		}
		gctx := geos.NewContext()
		for ci, c := range b.Communities {
			polys, err := geo.Dissolve(gctx, byComm[ci])
			if err != nil {
				tb.Fatal(err)
			}
			for _, p := range polys {
				comms = append(comms, tiles.Feature{ID: tiles.ID(c.Code), Shape: b.Proj.Unproject(p).(orb.Polygon), Properties: map[string]any{"code": c.Code}})
			}
		}
		for i, bl := range b.Blocks {
			blocks = append(blocks, tiles.Feature{ID: uint64(i), Shape: b.Proj.Unproject(bl.Shape.Clone()).(orb.Polygon),
				Properties: map[string]any{"households": bl.Households, "grid": r.Grids[r.BlockGrid[i]].Code}})
		}
		var barriers []tiles.Line
		for i, l := range b.Features {
			barriers = append(barriers, tiles.Line{ID: uint64(i), Line: b.Proj.Unproject(l.Line.Clone()).(orb.LineString), Properties: map[string]any{"class": fmt.Sprint(l.Tag)}})
		}
		var households []tiles.Point
		for i, h := range b.Points {
			if bi := b.HouseholdBlock[i]; bi >= 0 {
				households = append(households, tiles.Point{ID: uint64(i), Point: h.Point, Properties: map[string]any{"households": h.Count}})
			}
		}
		camden.src = tiles.NewSource(grids, comms, blocks, nil, barriers, households)
	})
	return camden.src
}

// camdenTiles lists the tiles over Camden at zoom z.
func camdenTiles(src *tiles.Source, z int) []maptile.Tile {
	b := src.Bound()
	lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
	hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
	var out []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			out = append(out, maptile.New(x, y, maptile.Zoom(z)))
		}
	}
	return out
}

// TestTilesOverCamden renders every tile over Camden at zooms 12 to 16 and
// decodes them: layers of version 2 with ids on every feature, exterior
// rings wound positive and holes negative (tile space, y down), grids that
// are valid and never overlap one another, and grids that cover each tile as
// the real grids do, within the simplification tolerance.
func TestTilesOverCamden(t *testing.T) {
	src := camdenSource(t)
	r := fixture.Camden(t)
	gctx := geos.NewContext()
	for z := 12; z <= 16; z++ {
		var kept, drawn, worst float64
		invalid := 0
		seen := map[string]bool{}
		for _, tl := range camdenTiles(src, z) {
			layers := decoded(t, src, tl)
			if layers == nil {
				continue
			}
			var grids []orb.Polygon
			for _, l := range layers {
				if l.Version != 2 || l.Extent != tiles.Extent {
					t.Errorf("%v layer %s: version %d extent %d", tl, l.Name, l.Version, l.Extent)
				}
				seen[l.Name] = true
				if from := map[string]int{tiles.LayerBlocks: tiles.BlocksFrom, tiles.LayerBarriers: tiles.BarriersFrom, tiles.LayerHouseholds: tiles.HouseholdsFrom}[l.Name]; z < from {
					t.Errorf("%v: layer %s below zoom %d", tl, l.Name, from)
				}
				for _, f := range l.Features {
					if f.ID == nil {
						t.Fatalf("%v %s: feature without id", tl, l.Name)
					}
					polys := []orb.Polygon{}
					switch g := f.Geometry.(type) {
					case orb.Polygon:
						polys = append(polys, g)
					case orb.MultiPolygon:
						polys = append(polys, g...)
					}
					for _, p := range polys {
						for i, ring := range p {
							if a := planar.Area(ring); (i == 0) != (ring.Orientation() == orb.CCW) || a == 0 {
								t.Fatalf("%v %s ring %d: orientation %v", tl, l.Name, i, ring.Orientation())
							}
						}
						if l.Name == tiles.LayerGrids {
							grids = append(grids, p)
						}
					}
				}
			}
			// No overlaps between grids, and their cover of the tile as the
			// real grids' (drawn in the tile's own units).
			var sum float64
			parts := make([]*geos.Geom, len(grids))
			core := geo.ToGEOS(gctx, orb.Bound{Max: orb.Point{tiles.Extent, tiles.Extent}}.ToPolygon())
			for i, p := range grids {
				parts[i] = geo.ToGEOS(gctx, p)
				if !parts[i].IsValid() {
					invalid++
					parts[i] = parts[i].MakeValid()
				}
				// The tile itself, its buffer aside: clipping draws zero-width
				// bridges along the buffer's edge, outside what is shown.
				parts[i] = parts[i].Intersection(core)
				sum += parts[i].Area()
			}
			union := gctx.NewCollection(geos.TypeIDMultiPolygon, parts).UnaryUnion()
			// Grids are redrawn as one coverage of each tile: no overlap,
			// floating-point noise aside.
			over := sum - union.Area()
			if over > 1e-9*sum {
				t.Errorf("%v: grids overlap by %.3g square units of %.0f", tl, over, sum)
			}
			worst = math.Max(worst, over/max(sum, 1))
			drawn += union.Area()
		}
		// Area of the real grids in the same tile units: the borough's area
		// in Mercator metres over the unit's size squared.
		unit := 40075016.68557849 / math.Exp2(float64(z)) / tiles.Extent
		merc := 0.0
		for _, f := range r.FeatureCollection().Features {
			merc += planar.Area(mercator(f.Geometry.(orb.Polygon)))
		}
		kept = merc / (unit * unit)
		// Every point of the borough lies in one tile's core: the cores
		// together must draw the grids' area, but for simplification.
		if d := math.Abs(drawn-kept) / kept; d > 0.005 {
			t.Errorf("zoom %d: tiles draw %.6g square units of grids, the grids are %.6g (%.2f%% off)", z, drawn, kept, 100*d)
		}
		for _, name := range []string{tiles.LayerGrids, tiles.LayerCommunities, tiles.LayerBlocks, tiles.LayerBarriers, tiles.LayerHouseholds} {
			from := map[string]int{tiles.LayerBlocks: tiles.BlocksFrom, tiles.LayerBarriers: tiles.BarriersFrom, tiles.LayerHouseholds: tiles.HouseholdsFrom}[name]
			if z >= from && !seen[name] {
				t.Errorf("zoom %d: no tile has layer %s", z, name)
			}
		}
		if invalid > 0 {
			t.Errorf("zoom %d: %d grid pieces invalid", z, invalid)
		}
		t.Logf("zoom %d: %d tiles, grids drawn %.6g units², real %.6g; %d grid pieces invalid after snapping; worst overlap %.1g of a tile's grids", z, len(camdenTiles(src, z)), drawn, kept, invalid, worst)
	}
}

func mercator(p orb.Polygon) orb.Polygon {
	return project.Polygon(p.Clone(), project.WGS84.ToMercator)
}

// TestTilesDecodeIndependently decodes tiles over Camden at zooms 12 to 16
// with @mapbox/vector-tile (npm, run by node), a decoder that shares nothing
// with the encoder, and checks that it reads what was meant: layers of
// version 2, every feature with its id and properties, exterior rings of
// positive area and holes negative, and the same rings as orb's decoder.
func TestTilesDecodeIndependently(t *testing.T) {
	dir := filepath.Join("testdata", "decode")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@mapbox", "vector-tile")); err != nil {
		t.Fatalf("the decoder is not installed: run npm ci --prefix %s (scripts/test does): %v", dir, err)
	}
	src := camdenSource(t)
	tmp := t.TempDir()
	var paths []string
	var want []mvt.Layers
	for z := 12; z <= 16; z += 2 {
		for _, tl := range camdenTiles(src, z)[:3] {
			data, err := src.Render(int(tl.Z), int(tl.X), int(tl.Y))
			if err != nil || data == nil {
				continue
			}
			path := filepath.Join(tmp, fmt.Sprintf("%d-%d-%d.mvt", tl.Z, tl.X, tl.Y))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			layers, err := mvt.Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			paths, want = append(paths, path), append(want, layers)
		}
	}
	cmd := exec.Command("node", append([]string{"decode.mjs"}, paths...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node decode.mjs: %v", err)
	}
	var got []map[string]struct {
		Version, Extent int
		Features        []struct {
			ID         uint64
			Type       int
			Properties map[string]any
			Rings      []float64
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("decoded %d tiles, wrote %d", len(got), len(want))
	}
	features := 0
	for i, layers := range want {
		for _, l := range layers {
			js, ok := got[i][l.Name]
			if !ok || js.Version != 2 || js.Extent != tiles.Extent || len(js.Features) != len(l.Features) {
				t.Fatalf("%s layer %s: %+v", paths[i], l.Name, js)
			}
			for k, f := range l.Features {
				jf := js.Features[k]
				features++
				kind := map[string]int{"Point": 1, "LineString": 2, "MultiLineString": 2, "Polygon": 3, "MultiPolygon": 3}[f.Geometry.GeoJSONType()]
				if float64(jf.ID) != f.ID.(float64) || jf.Type != kind || fmt.Sprint(jf.Properties["code"]) != fmt.Sprint(f.Properties["code"]) {
					t.Fatalf("%s %s feature %d: node %+v, orb id %v type %s props %v", paths[i], l.Name, k, jf, f.ID, f.Geometry.GeoJSONType(), f.Properties)
				}
				if kind != 3 {
					continue
				}
				var rings []orb.Ring
				switch g := f.Geometry.(type) {
				case orb.Polygon:
					rings = g
				case orb.MultiPolygon:
					for _, p := range g {
						rings = append(rings, p...)
					}
				}
				if len(rings) != len(jf.Rings) {
					t.Fatalf("%s %s feature %d: node reads %d rings, orb %d", paths[i], l.Name, k, len(jf.Rings), len(rings))
				}
				for ri, a := range jf.Rings {
					if math.Abs(a-planar.Area(rings[ri])) > 1e-6 { // both signed: exterior positive
						t.Errorf("%s %s feature %d ring %d: node area %v, orb %v", paths[i], l.Name, k, ri, a, planar.Area(rings[ri]))
					}
				}
				if jf.Rings[0] <= 0 {
					t.Errorf("%s %s feature %d: exterior ring of area %v", paths[i], l.Name, k, jf.Rings[0])
				}
			}
		}
	}
	t.Logf("%d tiles, %d features decoded alike by node and orb", len(want), features)
}

// TestWriteMBTiles exports Camden at zooms 12 to 14 and reads the file back:
// the metadata, one row per non-empty tile, rows counted from the south, and
// each tile the gzip of what Render draws.
func TestWriteMBTiles(t *testing.T) {
	src := camdenSource(t)
	path := filepath.Join(t.TempDir(), "camden.mbtiles")
	n, err := tiles.WriteMBTiles(t.Context(), src, path, "camden", 12, 14)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	meta := map[string]string{}
	rows, err := db.Query(`SELECT name, value FROM metadata`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		rows.Scan(&k, &v)
		meta[k] = v
	}
	if meta["format"] != "pbf" || meta["minzoom"] != "12" || meta["maxzoom"] != "14" || !json.Valid([]byte(meta["json"])) {
		t.Errorf("metadata %v", meta)
	}
	want := 0
	for z := 12; z <= 14; z++ {
		for _, tl := range camdenTiles(src, z) {
			data, err := src.Render(z, int(tl.X), int(tl.Y))
			if err != nil || data == nil {
				continue
			}
			want++
			var blob []byte
			if err := db.QueryRow(`SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`,
				z, tl.X, (1<<z)-1-int(tl.Y)).Scan(&blob); err != nil {
				t.Fatalf("tile %v: %v", tl, err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(blob))
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := io.ReadAll(zr); !bytes.Equal(got, data) {
				t.Errorf("tile %v differs from Render's", tl)
			}
		}
	}
	if n != want {
		t.Errorf("wrote %d tiles, %d are not empty", n, want)
	}
}

// BenchmarkRenderCamden draws every tile over Camden from zoom 12 to 16 from
// a source that has drawn them before (simplified shapes cached per zoom):
// the cost of a tile that is not cached yet.
func BenchmarkRenderCamden(b *testing.B) {
	src := camdenSource(b)
	var all []maptile.Tile
	for z := 12; z <= 16; z++ {
		all = append(all, camdenTiles(src, z)...)
	}
	for _, tl := range all {
		src.Render(int(tl.Z), int(tl.X), int(tl.Y))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tl := all[i%len(all)]
		if _, err := src.Render(int(tl.Z), int(tl.X), int(tl.Y)); err != nil {
			b.Fatal(err)
		}
	}
}

// clippedArea is the area of p inside b.
func clippedArea(b orb.Bound, p orb.Polygon) float64 {
	gctx := geos.NewContext()
	return geo.ToGEOS(gctx, p).Intersection(geo.ToGEOS(gctx, b.ToPolygon())).Area()
}

// decoded renders tile tl and decodes it with orb (nil for an empty tile).
func decoded(t *testing.T, src *tiles.Source, tl maptile.Tile) mvt.Layers {
	t.Helper()
	data, err := src.Render(int(tl.Z), int(tl.X), int(tl.Y))
	if err != nil {
		t.Fatal(err)
	}
	if data == nil {
		return nil
	}
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("%v: %v", tl, err)
	}
	return layers
}
