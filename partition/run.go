package partition

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gridline/gridline/datasets"
)

// Stage is one step of a run and the time it took.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Report is what a run tells about itself: its input, quality figures,
// problems, notes and the time of each stage.
type Report struct {
	Band            Band      `json:"band"`
	HouseholdSource string    `json:"household_source"`
	Blocks          int       `json:"blocks"`
	Communities     int       `json:"communities"`
	Quality         Quality   `json:"quality"`
	Problems        []Problem `json:"problems"`
	Notes           []Note    `json:"notes"`
	Stages          []Stage   `json:"stages"`
	Seconds         float64   `json:"seconds"`
}

// Run reads a jurisdiction's files, builds its blocks, partitions them and
// measures the result.
func Run(ctx context.Context, p datasets.Paths, opt Options) (*Result, *Report, error) {
	start := time.Now()
	rep := &Report{Band: opt.Band, Problems: []Problem{}}
	last := start
	stage := func(name string) {
		now := time.Now()
		rep.Stages = append(rep.Stages, Stage{Name: name, Seconds: now.Sub(last).Seconds()})
		slog.Debug("stage", "name", name, "seconds", now.Sub(last).Seconds())
		last = now
	}
	j, err := datasets.Load(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	rep.HouseholdSource = j.HouseholdSource
	stage("read")
	in, err := inputOf(j)
	if err != nil {
		return nil, nil, err
	}
	if p.DEM != "" {
		ridges, err := terrainBarriers(ctx, p.DEM, j.Boundary.Shape)
		if err != nil {
			return nil, nil, fmt.Errorf("dem: %w", err)
		}
		in.Barriers = append(in.Barriers, ridges...)
		stage("terrain")
	}
	b, err := BuildBlocks(ctx, in, BlockOptions{Band: opt.Band})
	if err != nil {
		return nil, nil, err
	}
	if total := totalHouseholds(b); total == 0 {
		return nil, nil, fmt.Errorf("no households inside the boundary (%d points read, %d outside it)", len(b.Points), b.Outside)
	}
	rep.Blocks, rep.Communities = len(b.Blocks), len(b.Communities)
	stage("blocks")
	r, err := Partition(ctx, b, opt)
	if err != nil {
		return nil, nil, err
	}
	stage("partition")
	if rep.Quality, err = r.Measure(); err != nil {
		return nil, nil, fmt.Errorf("measure: %w", err)
	}
	stage("measure")
	rep.Problems = append(rep.Problems, r.Problems...)
	rep.Notes = b.Notes
	rep.Seconds = time.Since(start).Seconds()
	return r, rep, nil
}

// StageSeconds returns the time of the named stage (0 if it did not run).
func (r *Report) StageSeconds(name string) float64 {
	for _, s := range r.Stages {
		if s.Name == name {
			return s.Seconds
		}
	}
	return 0
}

func totalHouseholds(b *Blocks) int {
	t := 0
	for _, blk := range b.Blocks {
		t += blk.Households
	}
	return t
}

// inputOf turns what was read into the partition's input.
func inputOf(j *datasets.Jurisdiction) (Input, error) {
	in := Input{Boundary: j.Boundary.Shape, Communities: j.Communities, Households: j.Households}
	if j.OSM != nil {
		in.Barriers = j.OSM.Barriers
	}
	if len(j.Units) > 0 {
		return in, fmt.Errorf("--units is not supported yet")
	}
	return in, nil
}
