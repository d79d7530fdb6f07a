package partition

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/terrain"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// terrainBarriers reads a DEM (from one file or several joined) and returns
// its drainage divides inside the area as ridge barriers, simplified to half a
// cell (the divides' many vertices, one per cell edge, become a few), and a
// note of what it found.
func terrainBarriers(ctx context.Context, paths []string, area orb.MultiPolygon) ([]datasets.Barrier, Note, error) {
	b := area.Bound()
	d, src, err := datasets.ReadDEMs(paths, b)
	if err != nil {
		return nil, Note{}, err
	}
	db := d.Bound()
	share := datasets.CoveredShare(b, db)
	if share == 0 {
		return nil, Note{}, fmt.Errorf("%s covers %g..%g°E, %g..%g°N: not the boundary", strings.Join(paths, ", "), db.Min[0], db.Max[0], db.Min[1], db.Max[1])
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
	note := Note{Kind: "terrain", Message: fmt.Sprintf("%d drainage divides from %s (samples %.2g″ apart)", len(out), fileList(src.Used), 3600*d.DY)}
	if len(src.Skipped) > 0 {
		verb := "lie away from the boundary and were left out"
		if len(src.Skipped) == 1 {
			verb = "lies away from the boundary and was left out"
		}
		note.Message += fmt.Sprintf("; %s %s", fileList(src.Skipped), verb)
	}
	if share < 0.99 {
		note.Message += fmt.Sprintf("; the terrain covers only %.0f%% of the boundary's extent, so there are ridges only there (give every tile the jurisdiction touches)", 100*share)
	}
	return out, note, nil
}

// fileList names files for a note: their base names, the first few of many.
func fileList(paths []string) string {
	const few = 4
	names := make([]string, 0, few+1)
	for _, p := range paths[:min(len(paths), few)] {
		names = append(names, filepath.Base(p))
	}
	if len(paths) > few {
		names = append(names, fmt.Sprintf("%d more", len(paths)-few))
	}
	return strings.Join(names, ", ")
}
