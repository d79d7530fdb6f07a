package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/gridline/gridline/store"
	"github.com/gridline/gridline/tiles"
)

// runTiles exports the store's tiles: `gridline tiles export --db FILE --out
// FILE.mbtiles [--minzoom 10] [--maxzoom 16]`.
func runTiles(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return errors.New("tiles: usage: gridline tiles export --db FILE --out FILE.mbtiles [--minzoom 10] [--maxzoom 16]")
	}
	fs := flag.NewFlagSet("tiles export", flag.ContinueOnError)
	db := dbFlag(fs)
	out := fs.String("out", "gridline.mbtiles", "the MBTiles file to write")
	minZoom := fs.Int("minzoom", 10, "lowest zoom written")
	maxZoom := fs.Int("maxzoom", 16, "highest zoom written")
	name := fs.String("name", "gridline", "the tileset's name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return withStore(ctx, *db, func(st *store.Store) error {
		src, err := tiles.FromStore(ctx, st)
		if err != nil {
			return err
		}
		n, err := tiles.WriteMBTiles(ctx, src, *out, *name, *minZoom, *maxZoom)
		if err != nil {
			return err
		}
		slog.Info("exported", "tiles", n, "zooms", fmt.Sprintf("%d–%d", *minZoom, *maxZoom), "out", *out)
		return nil
	})
}
