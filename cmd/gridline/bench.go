package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/partition"
)

// runBench measures what the README quotes: Camden end to end, and the
// partition step on a generated city of a million households, with the
// process's peak resident memory.
func runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	data := fs.String("data", "datasets/camden", "folder of the Camden data")
	runs := fs.Int("runs", 5, "repetitions of each measurement")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Printf("gridline bench: %s, %d cores (GOMAXPROCS %d)\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	// The city first, so that peak memory is the partition step's own:
	// the tree cut alone on its graph, then the whole step (tree cut,
	// local search, annealer, outlines, codes) on its blocks.
	g, comm, n := partition.SyntheticCity(400, 250, 20, 25, 1)
	total := 0
	for _, w := range g.W {
		total += int(w)
	}
	var times []float64
	var as *partition.Assignment
	for range *runs {
		start := time.Now()
		var err error
		if as, err = partition.Assign(ctx, g, comm, n, partition.Options{Band: partition.DefaultBand, Seed: 1}); err != nil {
			return err
		}
		times = append(times, time.Since(start).Seconds())
	}
	fmt.Printf("city graph: %d households in %d blocks and %d communities -> %d grids; tree cut %s; peak RSS %.0f MB\n",
		total, g.N(), n, as.Parts, stats(times), peakRSS())
	start := time.Now()
	city, err := partition.BuildBlocks(ctx, partition.SyntheticCityInput(400, 250, 20, 25, 1), partition.BlockOptions{Band: partition.DefaultBand})
	if err != nil {
		return err
	}
	built, rss := time.Since(start).Seconds(), peakRSS()
	times = times[:0]
	var r *partition.Result
	for range *runs {
		start := time.Now()
		if r, err = partition.Partition(ctx, city, partition.Options{Band: partition.DefaultBand, Seed: 1}); err != nil {
			return err
		}
		times = append(times, time.Since(start).Seconds())
	}
	inBand, households := 0, 0
	for _, gr := range r.Grids {
		households += gr.Households
		if gr.Exception == "" {
			inBand++
		}
	}
	fmt.Printf("city blocks: %d households in %d blocks (built in %.1f s; peak RSS %.0f MB) -> %d grids, %d in the band; partition step %s; peak RSS %.0f MB\n",
		households, len(city.Blocks), built, rss, len(r.Grids), inBand, stats(times), peakRSS())

	p := datasets.Paths{
		Boundary: *data + "/boundary.geojson", OSM: *data + "/camden.osm.pbf",
		Households: *data + "/households.geojson", Communities: *data + "/msoa.geojson",
	}
	times = times[:0]
	var job []float64 // what the issue times: the run without its measuring
	var rep *partition.Report
	for range *runs {
		start := time.Now()
		r, rp, err := partition.Run(ctx, p, partition.Options{Band: partition.DefaultBand, Seed: 1})
		if err != nil {
			return err
		}
		if err := json.NewEncoder(io.Discard).Encode(r.FeatureCollection()); err != nil {
			return err
		}
		t := time.Since(start).Seconds()
		times = append(times, t)
		job = append(job, t-rp.StageSeconds("measure"))
		rep = rp
	}
	fmt.Printf("camden end to end (read OSM, blocks, partition, GeoJSON): %s\n", stats(job))
	fmt.Printf("  the same with the quality measures: %s\n", stats(times))
	for _, s := range rep.Stages {
		fmt.Printf("  %-10s %.2f s\n", s.Name, s.Seconds)
	}
	return nil
}

func stats(xs []float64) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	return fmt.Sprintf("median %.2f s (min %.2f, max %.2f, %d runs)", s[len(s)/2], s[0], s[len(s)-1], len(s))
}

// peakRSS is the process's peak resident set so far, in MB.
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports kilobytes
}
