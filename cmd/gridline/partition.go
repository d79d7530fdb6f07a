package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/partition"
)

func runPartition(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("partition", flag.ContinueOnError)
	in := inputFlags(fs)
	out := fs.String("out", "grids.geojson", "output GeoJSON FeatureCollection")
	report := fs.String("report", "", "optional JSON report of quality figures and stage times")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opt, err := in.options()
	if err != nil {
		return err
	}
	res, rep, err := partition.Run(ctx, in.paths, opt)
	if err != nil {
		return err
	}
	if err := writeJSON(*out, res.FeatureCollection()); err != nil {
		return err
	}
	printProblems(rep)
	if *report != "" {
		if err := writeJSON(*report, rep); err != nil {
			return err
		}
	}
	q := rep.Quality
	slog.Info("partitioned", "grids", q.Grids, "households", q.Households, "in_band", fmt.Sprintf("%.1f%%", 100*q.InBandShare),
		"seconds", rep.Seconds)
	abs, _ := filepath.Abs(*out)
	fmt.Println(abs)
	return nil
}

// input is what the partition and import commands read: the dataset files
// and the partition's options.
type input struct {
	paths                     datasets.Paths
	minH, maxH, target, trees *int
	seed                      *uint64
}

func inputFlags(fs *flag.FlagSet) *input {
	in := &input{}
	p := &in.paths
	fs.StringVar(&p.Boundary, "boundary", "", "jurisdiction outline: GeoJSON Polygon or MultiPolygon in WGS84 (required)")
	fs.StringVar(&p.OSM, "osm", "", "OpenStreetMap extract: .osm.pbf, .osm or .osm.bz2")
	fs.Func("dem", "optional terrain: SRTM .hgt or .hgt.zip, or a GeoTIFF on WGS84 longitude and latitude; repeat it, or give a glob pattern (quoted), for several tiles, which are joined; ridges and drainage divides become barriers", func(s string) error {
		p.DEM = append(p.DEM, s)
		return nil
	})
	fs.StringVar(&p.Households, "households", "", "GeoJSON points with an integer households property")
	fs.StringVar(&p.Units, "units", "", "GeoJSON polygons with households that are themselves the atoms")
	fs.StringVar(&p.HouseholdAreas, "household-areas", "", "GeoJSON polygons with households, spread over the residential buildings inside")
	fs.StringVar(&p.Communities, "communities", "", "optional GeoJSON polygons of the level above grids")
	in.minH = fs.Int("min", partition.DefaultBand.Min, "fewest households in a grid")
	in.maxH = fs.Int("max", partition.DefaultBand.Max, "most households in a grid")
	in.target = fs.Int("target", 0, "preferred households in a grid (optional)")
	in.seed = fs.Uint64("seed", 1, "seed of the randomised spanning trees")
	in.trees = fs.Int("trees", 0, "spanning trees cut per piece of a community (0: as many as a fixed budget of work allows, 8 to 64)")
	return in
}

func (in *input) options() (partition.Options, error) {
	band := partition.Band{Min: *in.minH, Max: *in.maxH, Target: *in.target}
	if err := band.Validate(); err != nil {
		return partition.Options{}, err
	}
	return partition.Options{Band: band, Seed: *in.seed, Trees: *in.trees}, nil
}

// printProblems writes on stderr what the run changed or left out of its
// input, and what could not be met, with its fix.
func printProblems(rep *partition.Report) {
	for _, n := range rep.Notes {
		if n.Warning() {
			fmt.Fprintf(os.Stderr, "gridline: warning: %s: %s\n", n.Kind, n.Message)
		}
	}
	for _, pr := range rep.Problems {
		fmt.Fprintf(os.Stderr, "gridline: %s at (%.5f, %.5f): %s; fix: %s\n", pr.Kind, pr.Where[0], pr.Where[1], pr.Message, pr.Fix)
	}
}

// writeJSON writes v to path atomically: a reader never sees half a file.
func writeJSON(path string, v any) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".gridline-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	enc := json.NewEncoder(tmp)
	if err := enc.Encode(v); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}
