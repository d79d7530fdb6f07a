package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	_ "modernc.org/sqlite" // MBTiles is a SQLite file
)

// WriteMBTiles writes every non-empty tile of src from zoom minZoom to
// maxZoom into a new MBTiles 1.3 file at path (gzipped MVT, TMS rows), for
// offline clients and CDNs, and returns how many tiles it wrote. The file is
// written under a temporary name and renamed when complete.
func WriteMBTiles(ctx context.Context, src *Source, path, name string, minZoom, maxZoom int) (int, error) {
	if minZoom < 0 || maxZoom > MaxZoom || minZoom > maxZoom {
		return 0, fmt.Errorf("zooms %d–%d: want 0 ≤ min ≤ max ≤ %d", minZoom, maxZoom, MaxZoom)
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	db, err := sql.Open("sqlite", "file:"+tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp) // a no-op once renamed
	n, err := writeMBTiles(ctx, db, src, name, minZoom, maxZoom)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("mbtiles %s: %w", path, err)
	}
	return n, os.Rename(tmp, path)
}

func writeMBTiles(ctx context.Context, db *sql.DB, src *Source, name string, minZoom, maxZoom int) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, q := range []string{
		`CREATE TABLE metadata (name TEXT, value TEXT)`,
		`CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)`,
		`CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	b := src.Bound()
	c := b.Center()
	layers, _ := json.Marshal(map[string]any{"vector_layers": VectorLayers()})
	meta := map[string]string{
		"name": name, "format": "pbf", "type": "overlay", "version": "1",
		"minzoom": fmt.Sprint(minZoom), "maxzoom": fmt.Sprint(maxZoom),
		"bounds": fmt.Sprintf("%f,%f,%f,%f", b.Min[0], b.Min[1], b.Max[0], b.Max[1]),
		"center": fmt.Sprintf("%f,%f,%d", c[0], c[1], min(maxZoom, max(minZoom, 13))),
		"json":   string(layers),
	}
	for k, v := range meta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO metadata (name, value) VALUES (?, ?)`, k, v); err != nil {
			return 0, err
		}
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	n := 0
	for z := minZoom; z <= maxZoom; z++ {
		lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
		hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				if err := ctx.Err(); err != nil {
					return 0, err
				}
				data, err := src.Render(z, int(x), int(y))
				if err != nil {
					return 0, err
				}
				if data == nil {
					continue
				}
				var gz bytes.Buffer
				w := gzip.NewWriter(&gz)
				w.Write(data)
				w.Close()
				tms := (1 << z) - 1 - int(y) // MBTiles counts rows from the south
				if _, err := stmt.ExecContext(ctx, z, x, tms, gz.Bytes()); err != nil {
					return 0, err
				}
				n++
			}
		}
	}
	return n, tx.Commit()
}

// VectorLayers describes the layers and their fields, as TileJSON 3.0.0
// and MBTiles metadata list them.
func VectorLayers() []map[string]any {
	layer := func(id, desc string, minzoom int, fields map[string]string) map[string]any {
		return map[string]any{"id": id, "description": desc, "minzoom": minzoom, "maxzoom": MaxZoom, "fields": fields}
	}
	return []map[string]any{
		layer(LayerGrids, "Grids of the current versions", 0, map[string]string{
			"code": "String", "households": "Number", "band": "String: below, in or above the band", "community": "String", "worker": "String: the responsible worker"}),
		layer(LayerCommunities, "Communities, drawn as the union of their grids", 0, map[string]string{"code": "String", "jurisdiction": "String"}),
		layer(LayerBlocks, "Blocks, the atoms of the grids", BlocksFrom, map[string]string{
			"block": "Number", "households": "Number", "grid": "String", "jurisdiction": "String"}),
		layer(LayerGaps, "Places of the district that no grid covers (all of it before a first partition)", 0, map[string]string{
			"jurisdiction": "String", "households_uncovered": "Number: households of blocks in no grid"}),
		layer(LayerBarriers, "Streets, waterways, railways and ridges that blocks are cut from", BarriersFrom, map[string]string{
			"class": "String: path, stream, street, tertiary, secondary, primary, railway, ridge, river, …"}),
		layer(LayerHouseholds, "Household points (a residential building and its households)", HouseholdsFrom, map[string]string{
			"households": "Number", "grid": "String"}),
	}
}
