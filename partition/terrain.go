package partition

import (
	"context"
	"fmt"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/terrain"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// terrainBarriers reads a DEM and returns its drainage divides inside the
// area as ridge barriers, simplified to half a cell so that the staircase of
// cell edges becomes a line.
func terrainBarriers(ctx context.Context, path string, area orb.MultiPolygon) ([]datasets.Barrier, error) {
	b := area.Bound()
	d, err := datasets.ReadDEM(path, b)
	if err != nil {
		return nil, err
	}
	if db := d.Bound(); !db.Intersects(b) {
		return nil, fmt.Errorf("%s covers %g..%g°E, %g..%g°N: not the boundary", path, db.Min[0], db.Max[0], db.Min[1], db.Max[1])
	}
	lines, err := terrain.Divides(ctx, d, b, terrain.Options{MinLength: 10})
	if err != nil {
		return nil, err
	}
	out := make([]datasets.Barrier, 0, len(lines))
	for _, l := range lines {
		l = simplify.DouglasPeucker(min(d.DX, d.DY) / 2).LineString(l)
		out = append(out, datasets.Barrier{Class: datasets.ClassRidge, Line: l})
	}
	return out, nil
}
