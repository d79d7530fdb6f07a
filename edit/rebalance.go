package edit

import (
	"context"
	"fmt"
	"slices"

	"github.com/gridline/gridline/partition"
	"github.com/gridline/gridline/store"
	"github.com/twpayne/go-geos"
)

// Rebalanced is what a rebalance did.
type Rebalanced struct {
	Result
	// Outside are the grids that were outside the band before; Still those
	// that remain so (each is then worth a planner's look).
	Outside []string `json:"outside_before"`
	Still   []string `json:"outside_after"`
	// MovedHouseholds changed grid; MovedShare is, per community touched,
	// the share of its households that did.
	MovedHouseholds int                `json:"moved_households"`
	MovedShare      map[string]float64 `json:"moved_share"`
}

// OutOfBand lists the grids of jurisdiction id outside its band, in code
// order (a single block above the band, which no partition could split, is
// not listed).
func OutOfBand(s *store.State) []string {
	blocks := map[string]int{}
	for _, g := range s.GridOf {
		blocks[g]++
	}
	var out []string
	b := band(s)
	for code, g := range s.Grids {
		if !b.Allows(g.Households, blocks[code]) {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// Rebalance mends the grids of jurisdiction id that left the band, with the
// least change partition.Rebalance finds: only offending grids and their
// neighbours move, locked grids never do, and every grid not touched keeps
// its code. It stores the result as the version after base.
func (e *Editor) Rebalance(ctx context.Context, id string, base int, author, reason string) (*Rebalanced, error) {
	defer e.turn(id)()
	s, err := e.st.State(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Jurisdiction.Version != base {
		return nil, fmt.Errorf("rebalance on version %d, current is %d: %w", base, s.Jurisdiction.Version, store.ErrStale)
	}
	out := &Rebalanced{Outside: OutOfBand(s), MovedShare: map[string]float64{}}
	out.Changed, out.Removed = []string{}, []string{}
	if len(out.Outside) == 0 {
		out.Version, out.Still = base, []string{}
		return out, nil
	}
	saved, err := e.st.Saved(ctx, id)
	if err != nil {
		return nil, err
	}
	b, err := partition.Restore(saved)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(s.Grids))
	for code := range s.Grids {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	label := map[string]int32{}
	locked := make([]bool, len(codes))
	for i, c := range codes {
		label[c] = int32(i)
		locked[i] = s.Grids[c].Locked
	}
	part := make([]int32, len(s.GridOf))
	for v, c := range s.GridOf {
		part[v] = label[c]
	}
	bd := band(s)
	next, parts, err := partition.Rebalance(ctx, b.Graph(), part, len(codes), bd, locked)
	if err != nil {
		return nil, err
	}

	// Name the parts: old labels keep their codes; new ones get the next
	// serial of their community.
	names := slices.Clone(codes)
	members := make([][]int, parts)
	for v, p := range next {
		members[p] = append(members[p], v)
	}
	for p := len(codes); p < parts; p++ {
		comm := s.Blocks[members[p][0]].Community
		code := nextCode(s, comm)
		s.Grids[code] = store.Grid{Code: code, Community: comm} // reserve the serial
		names = append(names, code)
	}
	// A part changed where a block left or joined it; the households of
	// those blocks moved.
	touched := make([]bool, parts)
	total := map[string]int{}
	moved := map[string]int{}
	for v, p := range next {
		c := s.Blocks[v].Community
		total[c] += s.Blocks[v].Households
		if p != part[v] {
			touched[p], touched[part[v]] = true, true
			moved[c] += s.Blocks[v].Households
			out.MovedHouseholds += s.Blocks[v].Households
		}
	}
	for c, m := range moved {
		out.MovedShare[c] = float64(m) / float64(max(1, total[c]))
	}
	gctx := geos.NewContext()
	var put []store.NewGrid
	for p := range parts {
		if !touched[p] {
			continue
		}
		if len(members[p]) == 0 {
			out.Removed = append(out.Removed, names[p])
			continue
		}
		ng, err := build(gctx, s, id, names[p], s.Blocks[members[p][0]].Community, members[p], Op{}, nil)
		if err != nil {
			return nil, err
		}
		put = append(put, ng)
		out.Changed = append(out.Changed, names[p])
	}
	for _, ng := range put {
		if !bd.Contains(ng.Households) && len(ng.Blocks) > 1 {
			out.Still = append(out.Still, ng.Code)
		}
	}
	for _, c := range out.Outside {
		if !slices.Contains(out.Changed, c) && !slices.Contains(out.Removed, c) {
			out.Still = append(out.Still, c)
		}
	}
	slices.Sort(out.Still)
	if out.Still == nil {
		out.Still = []string{}
	}
	if len(put) == 0 && len(out.Removed) == 0 {
		out.Version = base
		return out, nil
	}
	v, err := e.st.Commit(ctx, id, store.Change{Base: base, Author: author, Reason: reason, Put: put, Remove: out.Removed})
	if err != nil {
		return nil, err
	}
	out.Version = v
	return out, nil
}
