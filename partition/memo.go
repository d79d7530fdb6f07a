package partition

import (
	"slices"
	"sync"
)

// A memo keeps the solutions of the pieces of communities solved in one run,
// so that a second partition of blocks that changed in a few communities (the
// resplit of Run) solves only those again. A piece whose graph and options
// are the same as before gets the solution Solve found for it, which Solve
// would find again: the memo saves time and changes no result. A nil memo
// keeps nothing.
type memo struct {
	mu     sync.Mutex
	solved map[SolveOptions][]memoEntry // options hold the piece's own seed
}

type memoEntry struct {
	g   *Graph
	sol Solution
}

func newMemo() *memo { return &memo{solved: map[SolveOptions][]memoEntry{}} }

// find returns the solution kept for g under opt, if any.
func (m *memo) find(g *Graph, opt SolveOptions) (Solution, bool) {
	if m == nil {
		return Solution{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.solved[opt], func(e memoEntry) bool { return e.g.equal(g) })
	if i < 0 {
		return Solution{}, false
	}
	return m.solved[opt][i].sol, true
}

// keep keeps sol as the solution of g under opt.
func (m *memo) keep(g *Graph, opt SolveOptions, sol Solution) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.solved[opt] = append(m.solved[opt], memoEntry{g, sol})
}

// len returns how many solutions the memo keeps.
func (m *memo) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, es := range m.solved {
		n += len(es)
	}
	return n
}
