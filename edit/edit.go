// Package edit applies planners' edits to stored grids: move blocks to a
// neighbouring grid (the paint brush of districting tools), split a grid,
// merge two, lock and unlock. Every edit is checked before it is stored: each
// grid it touches must stay connected, inside one community and in the band,
// unless the planner forces it with a reason; a locked grid never changes.
// Gaps and overlaps cannot happen: grids are sets of blocks.
package edit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/partition"
	"github.com/gridline/gridline/store"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// Op is one edit, as planners send it.
type Op struct {
	// Kind is "move", "split", "merge", "lock" or "unlock".
	Kind string `json:"op"`
	// Blocks are moved to To (move), or become the new grid cut out of Grid
	// (split).
	Blocks []int  `json:"blocks,omitempty"`
	To     string `json:"to,omitempty"`
	// Grid is the grid split, locked or unlocked.
	Grid string `json:"grid,omitempty"`
	// Grids are the two grids merged; the first keeps its code.
	Grids  []string `json:"grids,omitempty"`
	Reason string   `json:"reason"`
	// Force stores an edit that breaks contiguity, nesting or the band.
	Force bool `json:"force,omitempty"`
}

// Violation is a rule an edit would break, in one grid.
type Violation struct {
	Grid   string `json:"grid"`
	Rule   string `json:"rule"` // "contiguity", "nesting", "band" or "locked"
	Detail string `json:"detail"`
}

// Refused is returned for an edit that breaks rules and was not forced (or
// touches a locked grid, which no force changes).
type Refused struct{ Violations []Violation }

func (r *Refused) Error() string {
	parts := make([]string, len(r.Violations))
	for i, v := range r.Violations {
		parts[i] = v.Detail
	}
	return "edit refused: " + strings.Join(parts, "; ")
}

// Invalid is returned for an edit that cannot be read as one: an unknown
// kind, a grid or block that does not exist, a missing reason.
type Invalid struct{ Detail string }

func (e *Invalid) Error() string { return e.Detail }

func invalid(format string, args ...any) error { return &Invalid{Detail: fmt.Sprintf(format, args...)} }

// Result is what an edit stored.
type Result struct {
	Version    int         `json:"version"`
	Changed    []string    `json:"changed"`
	Removed    []string    `json:"removed"`
	Violations []Violation `json:"forced_violations,omitempty"`
}

// Editor applies edits to one store. Edits of one jurisdiction take turns
// within a process, so that an edit on a stale version is told so before any
// work is done; the store's own version check keeps processes that share a
// database apart.
type Editor struct {
	st    *store.Store
	turns sync.Map // jurisdiction id → *sync.Mutex
}

// NewEditor returns an editor of st.
func NewEditor(st *store.Store) *Editor { return &Editor{st: st} }

// turn waits for jurisdiction id's turn and returns what ends it.
func (e *Editor) turn(id string) (done func()) {
	mu, _ := e.turns.LoadOrStore(id, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}

// Apply checks op against jurisdiction id at version base and stores it as
// the next version. It returns store.ErrStale when base is not current.
func (e *Editor) Apply(ctx context.Context, id string, base int, op Op, author string) (*Result, error) {
	if strings.TrimSpace(op.Reason) == "" {
		return nil, invalid("every edit needs a reason")
	}
	defer e.turn(id)()
	st := e.st
	cur, err := st.Version(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur != base {
		return nil, fmt.Errorf("edit on version %d, current is %d: %w", base, cur, store.ErrStale)
	}
	s, err := st.State(ctx, id)
	if err != nil {
		return nil, err
	}
	next := slices.Clone(s.GridOf)
	locks := map[string]bool{}
	var removed []string
	grid := func(code string) (store.Grid, error) {
		g, ok := s.Grids[code]
		if !ok {
			return g, invalid("grid %q does not exist in jurisdiction %s", code, id)
		}
		return g, nil
	}
	var touched []string // grids whose blocks change, in order
	touch := func(code string) {
		if !slices.Contains(touched, code) {
			touched = append(touched, code)
		}
	}
	switch op.Kind {
	case "move":
		if _, err := grid(op.To); err != nil {
			return nil, err
		}
		if len(op.Blocks) == 0 {
			return nil, invalid("move: no blocks given")
		}
		touch(op.To)
		for _, b := range op.Blocks {
			if b < 0 || b >= len(s.Blocks) {
				return nil, invalid("block %d does not exist (blocks run from 0 to %d)", b, len(s.Blocks)-1)
			}
			if next[b] == op.To {
				return nil, invalid("block %d is in grid %s already", b, op.To)
			}
			touch(next[b])
			next[b] = op.To
		}
	case "split":
		g, err := grid(op.Grid)
		if err != nil {
			return nil, err
		}
		if len(op.Blocks) == 0 {
			return nil, invalid("split: no blocks given for the new grid")
		}
		code := nextCode(s, g.Community)
		for _, b := range op.Blocks {
			if b < 0 || b >= len(s.Blocks) || next[b] != op.Grid {
				return nil, invalid("block %d is not in grid %s", b, op.Grid)
			}
			next[b] = code
		}
		if !slices.Contains(next, op.Grid) {
			return nil, invalid("split: the new grid would take every block of %s", op.Grid)
		}
		touch(op.Grid)
		touch(code)
	case "merge":
		if len(op.Grids) != 2 || op.Grids[0] == op.Grids[1] {
			return nil, invalid("merge: give two different grids")
		}
		for _, c := range op.Grids {
			if _, err := grid(c); err != nil {
				return nil, err
			}
		}
		for b, c := range next {
			if c == op.Grids[1] {
				next[b] = op.Grids[0]
			}
		}
		touch(op.Grids[0])
		touch(op.Grids[1])
	case "lock", "unlock":
		if _, err := grid(op.Grid); err != nil {
			return nil, err
		}
		locks[op.Grid] = op.Kind == "lock"
	default:
		return nil, invalid("unknown op %q: want move, split, merge, lock or unlock", op.Kind)
	}

	// Which blocks each touched grid holds now.
	members := map[string][]int{}
	for b, c := range next {
		if slices.Contains(touched, c) {
			members[c] = append(members[c], b)
		}
	}
	var violations []Violation
	for _, code := range touched {
		if g, ok := s.Grids[code]; ok && g.Locked {
			return nil, &Refused{Violations: []Violation{{Grid: code, Rule: "locked", Detail: fmt.Sprintf("grid %s is locked: unlock it first", code)}}}
		}
		if len(members[code]) == 0 {
			removed = append(removed, code)
			continue
		}
		violations = append(violations, check(s, code, community(s, code, op), members[code])...)
	}
	if len(violations) > 0 && !op.Force {
		return nil, &Refused{Violations: violations}
	}

	gctx := geos.NewContext()
	var put []store.NewGrid
	for _, code := range touched {
		if len(members[code]) == 0 {
			continue
		}
		ng, err := build(gctx, s, id, code, community(s, code, op), members[code], op, violations)
		if err != nil {
			return nil, err
		}
		put = append(put, ng)
	}
	for code, locked := range locks {
		g, err := st.Grid(ctx, code) // with its outline
		if err != nil {
			return nil, err
		}
		g.Locked = locked
		var blocks []int
		for b, c := range next {
			if c == code {
				blocks = append(blocks, b)
			}
		}
		put = append(put, store.NewGrid{Grid: g, Blocks: blocks})
	}
	reason := op.Reason
	if len(violations) > 0 {
		reason += " (forced past: " + (&Refused{Violations: violations}).Error()[len("edit refused: "):] + ")"
	}
	v, err := st.Commit(ctx, id, store.Change{Base: base, Author: author, Reason: reason, Put: put, Remove: removed})
	if err != nil {
		return nil, err
	}
	res := &Result{Version: v, Removed: append([]string{}, removed...), Violations: violations, Changed: []string{}}
	for _, g := range put {
		res.Changed = append(res.Changed, g.Code)
	}
	return res, nil
}

// community is the community a touched grid belongs to: its own, or for the
// grid a split creates, that of the grid split.
func community(s *store.State, code string, op Op) string {
	if g, ok := s.Grids[code]; ok {
		return g.Community
	}
	return s.Grids[op.Grid].Community
}

// check returns the rules that grid code, holding blocks, breaks.
func check(s *store.State, code, comm string, blocks []int) []Violation {
	var out []Violation
	if pieces := components(s, blocks); pieces > 1 {
		out = append(out, Violation{Grid: code, Rule: "contiguity", Detail: fmt.Sprintf("grid %s would be in %d pieces", code, pieces)})
	}
	households, outside := 0, 0
	for _, b := range blocks {
		households += s.Blocks[b].Households
		if s.Blocks[b].Community != comm {
			outside++
		}
	}
	if outside > 0 {
		out = append(out, Violation{Grid: code, Rule: "nesting", Detail: fmt.Sprintf("grid %s would reach outside community %s (%d blocks)", code, comm, outside)})
	}
	if b := band(s); !b.Allows(households, len(blocks)) {
		out = append(out, Violation{Grid: code, Rule: "band", Detail: fmt.Sprintf("grid %s would hold %d households, outside [%d, %d]", code, households, b.Min, b.Max)})
	}
	return out
}

// band is the band of the state's jurisdiction.
func band(s *store.State) partition.Band {
	return partition.Band{Min: s.Jurisdiction.BandMin, Max: s.Jurisdiction.BandMax}
}

// components counts the connected pieces of blocks.
func components(s *store.State, blocks []int) int {
	in := make(map[int]bool, len(blocks))
	for _, b := range blocks {
		in[b] = true
	}
	seen := make(map[int]bool, len(blocks))
	pieces := 0
	for _, start := range blocks {
		if seen[start] {
			continue
		}
		pieces++
		seen[start] = true
		queue := []int{start}
		for len(queue) > 0 {
			b := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, n := range s.Adjacent[b] {
				if in[n] && !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			}
		}
	}
	return pieces
}

// build makes the stored form of a touched grid: outline, households, area.
func build(gctx *geos.Context, s *store.State, id, code, comm string, blocks []int, op Op, violations []Violation) (store.NewGrid, error) {
	shapes := make([]orb.Polygon, len(blocks))
	ng := store.NewGrid{Grid: store.Grid{Jurisdiction: id, Code: code, Community: comm}, Blocks: blocks}
	for i, b := range blocks {
		shapes[i] = s.Blocks[b].Shape
		ng.Households += s.Blocks[b].Households
		ng.AreaM2 += s.Blocks[b].AreaM2
	}
	polys, err := geo.Dissolve(gctx, shapes)
	if err != nil {
		return ng, fmt.Errorf("outline of grid %s: %w", code, err)
	}
	switch len(polys) {
	case 0:
		return ng, fmt.Errorf("outline of grid %s: empty", code)
	case 1:
		ng.Shape = polys[0]
	default:
		ng.Shape = orb.MultiPolygon(polys)
	}
	ng.Locked = s.Grids[code].Locked
	for _, v := range violations {
		if v.Grid == code && v.Rule == "band" {
			ng.Exception = "forced edit: " + op.Reason
		}
	}
	return ng, nil
}

// nextCode returns the community's code with the next free 3-digit serial.
func nextCode(s *store.State, comm string) string {
	top := 0
	for code, g := range s.Grids {
		if g.Community != comm || !strings.HasPrefix(code, comm) {
			continue
		}
		if n, err := strconv.Atoi(code[len(comm):]); err == nil && n > top {
			top = n
		}
	}
	return fmt.Sprintf("%s%03d", comm, top+1)
}

// IsRefused reports whether err is a refusal, and returns it.
func IsRefused(err error) (*Refused, bool) {
	var r *Refused
	ok := errors.As(err, &r)
	return r, ok
}
