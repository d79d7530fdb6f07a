package partition

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
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
	Name            string    `json:"name,omitempty"` // the boundary's, if it has one
	HouseholdSource string    `json:"household_source"`
	Blocks          int       `json:"blocks"`
	Communities     int       `json:"communities"`
	Trees           int       `json:"trees"` // spanning trees cut per piece of a community
	Quality         Quality   `json:"quality"`
	Problems        []Problem `json:"problems"`
	Notes           []Note    `json:"notes"`
	Stages          []Stage   `json:"stages"`
	Seconds         float64   `json:"seconds"`

	start, last time.Time // of the run and of its last stage
}

// Run reads a jurisdiction's files, builds its blocks, partitions them and
// measures the result.
//
// A grid that the solver leaves outside the band is most often crowded by a
// block too heavy to share: a pocket of 150 households whose one neighbour
// in its community holds 370 can join it only if that neighbour is cut.
// Run then cuts the blocks in and beside such grids between their buildings,
// solves once more, and keeps the second partition if it leaves fewer grids
// unsolved. The second solve cuts anew only the pieces of communities whose
// blocks changed: the others get the solutions of the first.
func Run(ctx context.Context, p datasets.Paths, opt Options) (*Result, *Report, error) {
	in, notes, rep, err := read(ctx, p, opt.Band)
	if err != nil {
		return nil, nil, err
	}
	b, err := rep.build(ctx, in, notes, BlockOptions{Band: opt.Band})
	if err != nil {
		return nil, nil, err
	}
	// Both solves cut as many trees, so that a piece that did not change
	// is the same problem twice.
	opt.Trees, opt.memo = opt.trees(len(b.Blocks)), newMemo()
	rep.Trees = opt.Trees
	// The solves that choose the blocks skip the annealer, which changes no
	// grid's count; the blocks chosen are partitioned once more, with it,
	// from the memo of the tree cuts.
	rough := opt
	rough.rough = true
	r, err := Partition(ctx, b, rough)
	if err != nil {
		return nil, nil, err
	}
	rep.stage("partition")
	if at := r.crowding(BlockOptions{Band: opt.Band}.withDefaults()); len(at) > 0 {
		// The first partition stands if the second cannot be made: the
		// report says why it was not bettered.
		b2, err := b.Resplit(ctx, at, BlockOptions{Band: opt.Band})
		var r2 *Result
		if err == nil && b2 != b {
			r2, err = Partition(ctx, b2, rough)
		}
		switch {
		case ctx.Err() != nil:
			return nil, nil, ctx.Err()
		case err != nil:
			rep.Notes = append(rep.Notes, Note{Kind: "resplit", Message: fmt.Sprintf("the blocks that crowd an unsolved grid could not be cut again: %v", err)})
		case r2 != nil && r2.unsolved() < r.unsolved():
			r = r2
			rep.setBlocks(b2, notes)
		}
		rep.stage("resplit")
	}
	if r, err = Partition(ctx, r.Blocks, opt); err != nil {
		return nil, nil, err
	}
	rep.stage("anneal")
	if rep.Quality, err = r.Measure(); err != nil {
		return nil, nil, fmt.Errorf("measure: %w", err)
	}
	rep.stage("measure")
	rep.Problems = append(rep.Problems, r.Problems...)
	rep.Seconds = time.Since(rep.start).Seconds()
	return r, rep, nil
}

// Build reads a jurisdiction's files and builds its blocks and, when solve
// is set, partitions them as Run does (result is then non-nil): what an
// import stores.
func Build(ctx context.Context, p datasets.Paths, opt Options, solve bool) (b *Blocks, result *Result, rep *Report, err error) {
	if solve {
		if result, rep, err = Run(ctx, p, opt); err != nil {
			return nil, nil, nil, err
		}
		return result.Blocks, result, rep, nil
	}
	in, notes, rep, err := read(ctx, p, opt.Band)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err = rep.build(ctx, in, notes, BlockOptions{Band: opt.Band})
	if err != nil {
		return nil, nil, nil, err
	}
	rep.Seconds = time.Since(rep.start).Seconds()
	return b, nil, rep, nil
}

// read reads a jurisdiction's files into the partition's input, with notes on
// what it repaired, and starts the run's report.
func read(ctx context.Context, p datasets.Paths, band Band) (Input, []Note, *Report, error) {
	rep := &Report{Band: band, Problems: []Problem{}, start: time.Now()}
	rep.last = rep.start
	j, err := datasets.Load(ctx, p)
	if err != nil {
		return Input{}, nil, nil, err
	}
	rep.Name, rep.HouseholdSource = j.Boundary.Name, j.HouseholdSource
	rep.stage("read")
	in, notes, err := inputOf(j)
	if err != nil {
		return Input{}, nil, nil, err
	}
	if len(p.DEM) > 0 {
		ridges, note, err := terrainBarriers(ctx, p.DEM, j.Boundary.Shape)
		if err != nil {
			return Input{}, nil, nil, fmt.Errorf("dem: %w", err)
		}
		notes = append(notes, note)
		if len(j.Units) > 0 {
			in.Guides = append(in.Guides, ridges...)
		} else {
			in.Barriers = append(in.Barriers, ridges...)
		}
		rep.stage("terrain")
	}
	return in, notes, rep, nil
}

// build builds the blocks of what read read.
func (rep *Report) build(ctx context.Context, in Input, notes []Note, opt BlockOptions) (*Blocks, error) {
	b, err := BuildBlocks(ctx, in, opt)
	if err != nil {
		return nil, err
	}
	if total := totalHouseholds(b); total == 0 {
		return nil, fmt.Errorf("no households inside the boundary (%d points read, %d outside it)", len(b.Points), b.Outside)
	}
	rep.setBlocks(b, notes)
	rep.stage("blocks")
	return b, nil
}

// setBlocks records in the report what building the blocks found.
func (rep *Report) setBlocks(b *Blocks, notes []Note) {
	rep.Blocks, rep.Communities = len(b.Blocks), len(b.Communities)
	rep.Notes = append(append([]Note{}, notes...), b.Notes...)
}

// stage records the time since the last stage under name.
func (rep *Report) stage(name string) {
	now := time.Now()
	rep.Stages = append(rep.Stages, Stage{Name: name, Seconds: now.Sub(rep.last).Seconds()})
	slog.Debug("stage", "name", name, "seconds", now.Sub(rep.last).Seconds())
	rep.last = now
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

// inputOf turns what was read into the partition's input, with notes on
// what it had to repair.
func inputOf(j *datasets.Jurisdiction) (Input, []Note, error) {
	in := Input{Boundary: j.Boundary.Shape, Communities: j.Communities, Households: j.Households}
	if j.OSM != nil {
		in.Barriers = j.OSM.Barriers
	}
	var notes []Note
	if len(j.Units) > 0 {
		lines, points, repaired, err := unitAtoms(j.Units)
		if err != nil {
			return in, nil, err
		}
		// Units are the atoms: what OSM draws guides the choice among their
		// edges but cuts none of them.
		in.Guides, in.Barriers = in.Barriers, lines
		in.Households = points
		notes = repaired
	}
	return in, notes, nil
}

// unitAtoms turns units (census blocks and the like, each a polygon with a
// household count) into what blocks are built from: their rings become
// lines of no class, so that every unit is a face of its own (guides, such as
// OSM streets, later name the unit edges they run along), and each unit's
// households sit at one point inside it. Lines of no class cost the same to
// cut everywhere, so without OSM the partitioner keeps grid boundaries short.
// A unit in several parts counts its households in the part that holds its
// inner point; the other parts join grids empty. Invalid units are repaired,
// and each repair is noted for the report.
func unitAtoms(units []datasets.Unit) ([]datasets.Barrier, []datasets.Households, []Note, error) {
	gctx := geos.NewContext()
	var lines []datasets.Barrier
	var notes []Note
	points := make([]datasets.Households, 0, len(units))
	for _, u := range units {
		shape, reason, err := geo.Repair(gctx, u.Shape)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("units: feature %d: %w", u.Index, err)
		}
		if reason != "" {
			notes = append(notes, Note{Kind: "repaired", Message: fmt.Sprintf("unit (feature %d) was invalid (%s) and was repaired", u.Index, reason)})
		}
		for _, poly := range shape {
			for _, ring := range poly {
				lines = append(lines, datasets.Barrier{Class: datasets.ClassNone, Line: orb.LineString(ring)})
			}
		}
		if u.Households == 0 {
			continue
		}
		pt, ok := geo.FromGEOS(geo.ToGEOS(gctx, shape).PointOnSurface()).(orb.Point)
		if !ok {
			return nil, nil, nil, fmt.Errorf("units: feature %d: no point inside the polygon (empty?)", u.Index)
		}
		points = append(points, datasets.Households{Point: pt, Count: u.Households, Index: u.Index})
	}
	return lines, points, notes, nil
}
