package edit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/store"
)

// findMove finds, in Camden's stored grids, a block of one grid that can move
// to a neighbouring grid of the same community with every rule kept.
func findMove(t *testing.T, s *store.State) (block int, from, to string) {
	t.Helper()
	for b, a := range s.GridOf {
		for _, n := range s.Adjacent[b] {
			c := s.GridOf[n]
			if c == a || s.Grids[c].Community != s.Grids[a].Community || s.Blocks[b].Households == 0 {
				continue
			}
			next := slices.Clone(s.GridOf)
			next[b] = c
			ok := true
			for _, code := range []string{a, c} {
				var blocks []int
				for x, g := range next {
					if g == code {
						blocks = append(blocks, x)
					}
				}
				ok = ok && len(check(s, code, s.Grids[code].Community, blocks)) == 0
			}
			if ok {
				return b, a, c
			}
		}
	}
	t.Fatal("no block of Camden can move to a neighbour keeping every rule")
	return
}

// camdenEditor returns a store holding Camden, an editor of it, and its
// state at version 1.
func camdenEditor(t testing.TB) (*store.Store, *Editor, *store.State) {
	t.Helper()
	st := fixture.CamdenStore(t)
	s, err := st.State(context.Background(), "camden")
	if err != nil {
		t.Fatal(err)
	}
	return st, NewEditor(st), s
}

func TestEditsOnCamden(t *testing.T) {
	ctx := context.Background()
	st, ed, s0 := camdenEditor(t)
	b, from, to := findMove(t, s0)
	hh := s0.Blocks[b].Households

	// A valid move: both grids change, nothing else does.
	res, err := ed.Apply(ctx, "camden", 1, Op{Kind: "move", Blocks: []int{b}, To: to, Reason: "new estate entrance"}, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || !slices.Contains(res.Changed, from) || !slices.Contains(res.Changed, to) || len(res.Changed) != 2 {
		t.Fatalf("move: %+v", res)
	}
	s1, err := st.State(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	if s1.GridOf[b] != to || s1.Grids[to].Households != s0.Grids[to].Households+hh || s1.Grids[from].Households != s0.Grids[from].Households-hh {
		t.Errorf("after the move: block %d in %s; %s holds %d (was %d), %s holds %d (was %d)", b, s1.GridOf[b],
			to, s1.Grids[to].Households, s0.Grids[to].Households, from, s1.Grids[from].Households, s0.Grids[from].Households)
	}
	for code, g := range s0.Grids {
		if code != from && code != to && (s1.Grids[code].Households != g.Households || s1.Grids[code].Version != 2) {
			t.Errorf("untouched grid %s changed: %+v", code, s1.Grids[code])
		}
	}

	// A stale base is refused and writes nothing.
	if _, err := ed.Apply(ctx, "camden", 1, Op{Kind: "move", Blocks: []int{b}, To: from, Reason: "x"}, "bo"); !errors.Is(err, store.ErrStale) {
		t.Errorf("edit on version 1 after version 2: %v, want ErrStale", err)
	}

	// Rule breaks, each named with its grid.
	var far string // a grid of the same community that does not touch block b
	for code, g := range s1.Grids {
		if g.Community != s1.Grids[to].Community || code == to {
			continue
		}
		touches := false
		for _, n := range s1.Adjacent[b] {
			touches = touches || s1.GridOf[n] == code
		}
		if !touches {
			far = code
			break
		}
	}
	var other string // a grid of another community
	for code, g := range s1.Grids {
		if g.Community != s1.Grids[to].Community {
			other = code
			break
		}
	}
	big := -1 // the most populous block of grid `to` other than b
	for x, g := range s1.GridOf {
		if g == to && x != b && (big < 0 || s1.Blocks[x].Households > s1.Blocks[big].Households) {
			big = x
		}
	}
	for _, tc := range []struct {
		name string
		op   Op
		grid string
		rule string
	}{
		{"contiguity", Op{Kind: "move", Blocks: []int{b}, To: far, Reason: "r"}, far, "contiguity"},
		{"nesting", Op{Kind: "move", Blocks: []int{b}, To: other, Reason: "r"}, other, "nesting"},
		{"band", Op{Kind: "split", Grid: to, Blocks: []int{b}, Reason: "r"}, "", "band"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ed.Apply(ctx, "camden", 2, tc.op, "cy")
			r, ok := IsRefused(err)
			if !ok {
				t.Fatalf("%v, want a refusal", err)
			}
			found := false
			for _, v := range r.Violations {
				found = found || (v.Rule == tc.rule && (tc.grid == "" || v.Grid == tc.grid) && strings.Contains(v.Detail, v.Grid))
			}
			if !found {
				t.Errorf("violations %+v lack %s on %s", r.Violations, tc.rule, tc.grid)
			}
		})
	}

	// Forced past the band, with the reason kept.
	res, err = ed.Apply(ctx, "camden", 2, Op{Kind: "split", Grid: to, Blocks: []int{b}, Reason: "school site", Force: true}, "ana")
	if err != nil {
		t.Fatal(err)
	}
	newCode := ""
	for _, c := range res.Changed {
		if c != to {
			newCode = c
		}
	}
	if res.Version != 3 || len(res.Violations) == 0 || !strings.HasPrefix(newCode, s1.Grids[to].Community) {
		t.Fatalf("forced split: %+v", res)
	}
	g, err := st.Grid(ctx, newCode)
	if err != nil || g.Households != hh || !strings.Contains(g.Exception, "school site") {
		t.Errorf("new grid %s: %+v %v", newCode, g, err)
	}

	// Merge it back; lock the merged grid; a move into it is refused even forced.
	if res, err = ed.Apply(ctx, "camden", 3, Op{Kind: "merge", Grids: []string{to, newCode}, Reason: "undo"}, "ana"); err != nil || res.Version != 4 || !slices.Contains(res.Removed, newCode) {
		t.Fatalf("merge: %+v %v", res, err)
	}
	if _, err = ed.Apply(ctx, "camden", 4, Op{Kind: "lock", Grid: to, Reason: "agreed with the street office"}, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Apply(ctx, "camden", 5, Op{Kind: "move", Blocks: []int{big}, To: from, Reason: "r", Force: true}, "bo"); err == nil {
		t.Error("a forced move out of a locked grid was stored")
	} else if r, ok := IsRefused(err); !ok || r.Violations[0].Rule != "locked" {
		t.Errorf("move out of a locked grid: %v", err)
	}

	// History, and a revert to the first version.
	vs, err := st.Versions(ctx, "camden")
	if err != nil || len(vs) != 5 || vs[1].Author != "ana" || vs[1].Reason != "new estate entrance" || !strings.Contains(vs[2].Reason, "forced past") {
		t.Fatalf("history: %+v %v", vs, err)
	}
	if v, err := st.Revert(ctx, "camden", 5, 1, "ana", "back to the plan"); err != nil || v != 6 {
		t.Fatalf("revert: %d %v", v, err)
	}
	first, _ := st.Membership(ctx, "camden", 1)
	now, _ := st.Membership(ctx, "camden", 6)
	if !slices.Equal(first, now) {
		t.Error("after reverting to version 1 the blocks are not where they were")
	}

	for _, tc := range []struct {
		name string
		op   Op
		want string
	}{
		{"no reason", Op{Kind: "move", Blocks: []int{b}, To: from}, "reason"},
		{"unknown op", Op{Kind: "paint", Reason: "r"}, "unknown op"},
		{"unknown grid", Op{Kind: "move", Blocks: []int{b}, To: "NOPE", Reason: "r"}, "NOPE"},
		{"block out of range", Op{Kind: "move", Blocks: []int{1 << 30}, To: from, Reason: "r"}, "does not exist"},
		{"merge one", Op{Kind: "merge", Grids: []string{from}, Reason: "r"}, "two different"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ed.Apply(ctx, "camden", 6, tc.op, "cy")
			var inv *Invalid
			if !errors.As(err, &inv) || !strings.Contains(inv.Detail, tc.want) {
				t.Errorf("%v, want an Invalid mentioning %q", err, tc.want)
			}
		})
	}
}

// TestFiftyConcurrentPlanners has 50 planners lock and unlock their own grid
// at once, each retrying when another's edit made its version stale: every
// acknowledged edit is in the history, in order, and none is lost.
func TestFiftyConcurrentPlanners(t *testing.T) {
	ctx := context.Background()
	st, ed, s := camdenEditor(t)
	codes := make([]string, 0, len(s.Grids))
	for c := range s.Grids {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	const planners, edits = 50, 2
	var mu sync.Mutex
	acked := map[string]int{} // reason → version
	var wg sync.WaitGroup
	for p := range planners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range edits {
				op := Op{Kind: []string{"lock", "unlock"}[e%2], Grid: codes[p], Reason: fmt.Sprintf("planner %d edit %d", p, e)}
				for {
					cur, err := st.Version(ctx, "camden")
					if err != nil {
						t.Error(err)
						return
					}
					res, err := ed.Apply(ctx, "camden", cur, op, fmt.Sprintf("planner-%d", p))
					if errors.Is(err, store.ErrStale) {
						continue // someone else's edit landed first: read again
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					acked[op.Reason] = res.Version
					mu.Unlock()
					break
				}
			}
		}()
	}
	wg.Wait()
	vs, err := st.Versions(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	if len(acked) != planners*edits || len(vs) != 1+planners*edits {
		t.Fatalf("%d edits acknowledged, %d versions stored; want %d and %d", len(acked), len(vs), planners*edits, 1+planners*edits)
	}
	for _, v := range vs[1:] {
		if acked[v.Reason] != v.Version {
			t.Errorf("version %d (%q) was acknowledged as %d", v.Version, v.Reason, acked[v.Reason])
		}
	}
	final, err := st.State(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	for p := range planners {
		if final.Grids[codes[p]].Locked { // lock, then unlock
			t.Errorf("grid %s of planner %d is locked after its last edit", codes[p], p)
		}
	}
	for b, g := range final.GridOf {
		if g == "" {
			t.Fatalf("block %d lost its grid", b)
		}
	}
}
