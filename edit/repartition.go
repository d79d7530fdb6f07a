package edit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gridline/gridline/partition"
	"github.com/gridline/gridline/store"
)

// Progress is told what a long edit is doing and how far it has got (0–100).
type Progress func(stage string, percent float64)

// Repartition partitions jurisdiction id anew from its stored blocks, with
// opt's band and seed, and stores the grids as the version after base. It
// refuses while any grid is locked (a locked grid never changes), and
// returns store.ErrStale if the grids changed while it ran. Problems lists
// what the partition could not meet, with the fix for each.
func (e *Editor) Repartition(ctx context.Context, id string, base int, opt partition.Options, author, reason string, progress Progress) (*Result, []partition.Problem, error) {
	if progress == nil {
		progress = func(string, float64) {}
	}
	progress("reading blocks", 0)
	s, err := e.st.State(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if s.Jurisdiction.Version != base {
		return nil, nil, fmt.Errorf("partition on version %d, current is %d: %w", base, s.Jurisdiction.Version, store.ErrStale)
	}
	var locked []Violation
	for code, g := range s.Grids {
		if g.Locked {
			locked = append(locked, Violation{Grid: code, Rule: "locked", Detail: fmt.Sprintf("grid %s is locked: unlock it before partitioning anew", code)})
		}
	}
	if len(locked) > 0 {
		slices.SortFunc(locked, func(a, b Violation) int { return strings.Compare(a.Grid, b.Grid) })
		return nil, nil, &Refused{Violations: locked}
	}
	saved, err := e.st.Saved(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	b, err := partition.Restore(saved)
	if err != nil {
		return nil, nil, err
	}
	progress("partitioning", 5)
	opt.Progress = func(done, total int) { progress("partitioning", 5+80*float64(done)/float64(total)) }
	r, err := partition.Partition(ctx, b, opt)
	if err != nil {
		return nil, nil, err
	}
	progress("storing", 90)
	put := store.NewGrids(r)
	var removed []string
	for code := range s.Grids {
		if !slices.ContainsFunc(put, func(g store.NewGrid) bool { return g.Code == code }) {
			removed = append(removed, code)
		}
	}
	slices.Sort(removed)
	defer e.turn(id)()
	v, err := e.st.Commit(ctx, id, store.Change{Base: base, Author: author, Reason: reason, Put: put, Remove: removed})
	if err != nil {
		return nil, nil, err
	}
	res := &Result{Version: v, Removed: append([]string{}, removed...), Changed: []string{}}
	for _, g := range put {
		res.Changed = append(res.Changed, g.Code)
	}
	progress("done", 100)
	return res, r.Problems, nil
}
