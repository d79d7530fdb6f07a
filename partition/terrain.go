package partition

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/terrain"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// terrainBarriers reads a DEM and returns its drainage divides inside the
// area as ridge barriers, simplified to half a cell so that the staircase of
// cell edges becomes a line, and a note of what it found.
func terrainBarriers(ctx context.Context, path string, area orb.MultiPolygon) ([]datasets.Barrier, Note, error) {
	b := area.Bound()
	d, err := datasets.ReadDEM(path, b)
	if err != nil {
		return nil, Note{}, err
	}
	db := d.Bound()
	share := datasets.CoveredShare(b, db)
	if share == 0 {
		return nil, Note{}, fmt.Errorf("%s covers %g..%g°E, %g..%g°N: not the boundary", path, db.Min[0], db.Max[0], db.Min[1], db.Max[1])
	}
	lines, err := terrain.Divides(ctx, d, b, terrain.Options{MinLength: 10})
	if err != nil {
		return nil, Note{}, err
	}
	out := make([]datasets.Barrier, 0, len(lines))
	for _, l := range lines {
		l = simplify.DouglasPeucker(min(d.DX, d.DY) / 2).LineString(l)
		out = append(out, datasets.Barrier{Class: datasets.ClassRidge, Line: l})
	}
	note := Note{Kind: "terrain", Message: fmt.Sprintf("%d drainage divides from %s (samples %.2g″ apart)", len(out), filepath.Base(path), 3600*d.DY)}
	if share < 0.99 {
		// One SRTM tile is a degree square: a jurisdiction across a degree
		// line needs its tiles merged into one GeoTIFF.
		note.Message += fmt.Sprintf("; it covers only %.0f%% of the boundary's extent, so there are ridges only there (merge tiles into one GeoTIFF, e.g. with gdal_merge.py)", 100*share)
	}
	return out, note, nil
}
