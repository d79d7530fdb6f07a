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
	d, err := datasets.ReadHGT(path)
	if err != nil {
		return nil, err
	}
	b := area.Bound()
	if b.Max[0] < d.West || b.Min[0] > d.West+1 || b.Max[1] < d.South || b.Min[1] > d.South+1 {
		return nil, fmt.Errorf("%s covers %g..%g°E, %g..%g°N: not the boundary", path, d.West, d.West+1, d.South, d.South+1)
	}
	lines, err := terrain.Divides(ctx, d, b, terrain.Options{MinLength: 10})
	if err != nil {
		return nil, err
	}
	out := make([]datasets.Barrier, 0, len(lines))
	for _, l := range lines {
		l = simplify.DouglasPeucker(d.Step() / 2).LineString(l)
		out = append(out, datasets.Barrier{Class: datasets.ClassRidge, Line: l})
	}
	return out, nil
}
