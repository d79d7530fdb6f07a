package partition

import (
	"cmp"
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/twpayne/go-geos"
)

// The annealer's schedule and prices, in the units of the boundary costs.
const (
	// anneal0 and anneal1 are the first and last temperatures: at the start
	// a move that costs anneal0 (some 30 m of main feature kept inside a
	// grid, at annealMajor) is taken one time in e, at the end one that
	// costs anneal1 (a metre of side street as boundary).
	anneal0 = 2500.0
	anneal1 = 1.0
	// annealRuns is how many times each community is annealed, each run
	// from the tree cut's grids with its own random stream; the best run
	// stands. annealMoves is how many moves a run tries per block, on a
	// jurisdiction of up to annealWork/(annealRuns·annealMoves) blocks; a
	// larger one gets annealWork moves in all, never fewer than
	// minAnnealMoves per block and run, so that a city of 100,000 blocks
	// costs a few times Camden's 5,068, not twenty. Runs of one schedule
	// differ by a few points of main features through grids: on Camden
	// (seeds 1–5, about the same time), one run of 2,000 moves per block
	// left 18.2 % on average (16.5–19.6 %), the best of two of 1,200
	// 17.5 %, of three of 800 17.2 % (16.6–18.1 %), of five of 500 17.7 %.
	// With moves from blocks on main features (besideShare), three runs of
	// 800 left 16.5 %, of 600 16.4 % in four fifths of the time, of 400
	// 17.8 %.
	annealRuns     = 3
	annealMoves    = 600
	annealWork     = 15_000_000
	minAnnealMoves = 50
	// annealMajor prices a metre of main feature kept inside a grid at this
	// many times costs' In. The tree cut charges a main feature's whole
	// length between two pieces to the one tree link that joins them, and
	// so keeps its price moderate; the annealer counts exactly the edges a
	// move puts inside a grid, and can afford their full weight. On Camden
	// (seeds 1–3, 2,000 moves a block): at 6, 8 and 12 times, 17.0, 16.7
	// and 16.5 % of main features through grids, Polsby–Popper median
	// 0.478, 0.474 and 0.470.
	annealMajor = 8.0
	// annealOffFeature prices an edge that is no feature on the ground made
	// a grid boundary at this many times its Cut: where a main feature ends
	// inside a block, carrying the boundary on along it across open ground
	// keeps the feature out of a grid, which roundOff (features only) never
	// does. On Camden (seeds 1–3) that freedom, at 1 time, was worth 2
	// points of main features through grids (16.9, 19.4 and 16.1 % against
	// 19.0, 19.4 and 18.7 %), and left Andorra's boundary on features at
	// 98.7–99.05 %; at 3 times, 16.5, 19.4 and 16.6 %, and Andorra at
	// 98.9–99.1 %, as without it.
	annealOffFeature = 3.0
	// pieceShare is the share of moves that take a block's whole piece of
	// its grid (the blocks it reaches without crossing a main feature)
	// rather than the block alone: a piece between main features moves
	// whole, or puts a main feature inside a grid.
	pieceShare = 0.3
	// besideShare is the share of moves that start from a block on a main
	// feature (one with a main-feature edge), the rest from any block: the
	// moves that take a main feature out of a grid start there. On Camden
	// (seeds 1–5), every block alike left 17.2 % of main features through
	// grids on average, half the moves beside a main feature 16.9 %, eight
	// in ten 16.5 % (Polsby–Popper median 0.469–0.478), all but one in
	// twenty 16.5 % (0.461–0.476).
	besideShare = 0.8
	// maxPiece is the most blocks a piece may have to move whole.
	maxPiece = 40
)

// anneal lowers roundOff's objective, with main features at annealMajor
// times their price, by simulated annealing, community by community. It
// tries moves of a block (most often one on a main feature), or of its
// piece of its grid, to a neighbouring grid; it takes every move that
// lowers the boundary costs less ppWeight times the two grids'
// Polsby–Popper, and some that raise them, the fewer the colder it grows,
// and ends at the best state it passed through. A greedy pass stops where
// no single block can move for the better, and the grids that put a main
// feature inside to take in a pocket are often a move of a piece, and a
// move back, away from fewer.
//
// Every move keeps both grids in the band and the grid it leaves
// connected; grids outside the band stay as they are. Unlike roundOff's, a
// move may turn an edge that is no feature (a cut between buildings, a
// main feature carried on across open ground) into a grid boundary, at
// annealOffFeature times that edge's cost. Each community is annealed
// annealRuns times and the best run stands (see community); one that
// leaves more grids held together by a neck than the community began with
// (see necked) keeps its grids only if other communities lost as many,
// the most gainful first, and goes back to the tree cut's grids otherwise.
// The result does not depend on the number of workers.
func anneal(ctx context.Context, b *Blocks, band Band, part []int, seed uint64, workers int) (neckMemo, error) {
	l := newLayout(b, band, part, prices{majorIn: annealMajor, offFeature: annealOffFeature})
	byComm := make([][]int, len(b.Communities))
	for v, blk := range b.Blocks {
		byComm[blk.Community] = append(byComm[blk.Community], v)
	}
	// Grids outside the band (a certified exception, or one left unsolved)
	// stay as they are.
	fixed := make([]bool, len(l.weight))
	for p, w := range l.weight {
		fixed[p] = !band.Allows(w, l.size[p])
	}
	// The largest communities go first, so that no worker is left with one
	// at the end while the others idle.
	order := make([]int, len(byComm))
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(len(byComm[y]), len(byComm[x])) })
	outcomes := make([]annealed, len(byComm))
	perBlock := min(annealMoves, max(minAnnealMoves, annealWork/(annealRuns*max(len(b.Blocks), 1))))
	err := parallel(ctx, workers, len(byComm), func() *annealer {
		return &annealer{l: l, fixed: fixed, perBlock: perBlock, stamp: make([]int32, len(b.Blocks)), gctx: geos.NewContext()}
	}, func(a *annealer, i int) {
		c := order[i]
		outcomes[c] = a.community(ctx, byComm[c], seed, uint64(c))
	})
	if err != nil {
		return nil, err
	}
	// A community left with more grids with a neck keeps its grids only
	// while others, between them, lost as many: the most gainful first.
	budget := 0
	var over []int
	for c, o := range outcomes {
		if o.necks <= 0 {
			budget -= o.necks
		} else {
			over = append(over, c)
		}
	}
	slices.SortStableFunc(over, func(x, y int) int { return cmp.Compare(outcomes[x].change, outcomes[y].change) })
	for _, c := range over {
		if o := outcomes[c]; o.necks <= budget {
			budget -= o.necks
			continue
		}
		for i, v := range byComm[c] {
			part[v] = outcomes[c].start[i]
		}
	}
	known := neckMemo{}
	for _, o := range outcomes {
		maps.Copy(known, o.known)
	}
	return known, nil
}

// What annealing a community did: by how much it lowered the objective,
// how many more grids with a neck it left, the grid of each of its blocks
// before, and which of the grids it drew have a neck.
type annealed struct {
	change float64
	necks  int
	start  []int
	known  neckMemo // every grid of the community it looked at for a neck
}

// An annealer anneals one community at a time. Communities share no grid
// and no contact, so annealers on different communities share the layout
// without touching the same entries.
type annealer struct {
	l        *layout
	fixed    []bool
	perBlock int // moves tried per block
	gctx     *geos.Context
	stamp    []int32 // search marks, kept as partSearch keeps its own
	epoch    int32
	queue    []int
	piece    []int
	one      [1]int
	trail    []move // how to undo each move made, in order
}

// community anneals the blocks of one community (see anneal) annealRuns
// times, and keeps the run that left the fewest grids with a neck that the
// community did not have, then the lowest objective.
func (a *annealer) community(ctx context.Context, blocks []int, seed, c uint64) annealed {
	l := a.l
	out := annealed{start: make([]int, len(blocks))}
	for i, v := range blocks {
		out.start[i] = l.part[v]
	}
	if len(blocks) < 2 {
		return out
	}
	var beside []int // blocks on a main feature (see besideShare)
	for _, v := range blocks {
		if slices.ContainsFunc(l.arcs[v], func(x arc) bool { return x.major }) {
			beside = append(beside, v)
		}
	}
	known := neckMemo{}
	out.known = known
	before := a.necks(blocks, known)
	var best []int // the grid of each block after the run that stands
	for run := range uint64(annealRuns) {
		if ctx.Err() != nil {
			break
		}
		if run > 0 {
			a.reset(blocks, out.start)
		}
		change := a.run(blocks, beside, rand.New(rand.NewPCG(seed, c*annealRuns+run)))
		// A neck the run left may go with a lump moved, as mendNecks
		// moves one (see there).
		_, mend := mendGrids(a.gctx, l, blocks, known)
		change += mend
		necks := a.necks(blocks, known) - before
		if best == nil || necks < out.necks || (necks == out.necks && change < out.change) {
			out.change, out.necks = change, necks
			best = best[:0]
			for _, v := range blocks {
				best = append(best, l.part[v])
			}
		}
	}
	if best != nil {
		a.reset(blocks, best)
	}
	return out
}

// reset gives blocks the grids in part (one for each) and counts their
// grids afresh.
func (a *annealer) reset(blocks, part []int) {
	for i, v := range blocks {
		a.l.part[v] = part[i]
	}
	a.l.count(blocks)
}

// run anneals the blocks of one community once (beside: those on a main
// feature), ends at the lowest objective it passed through, and returns by
// how much that is below the objective it began with.
func (a *annealer) run(blocks, beside []int, rng *rand.Rand) float64 {
	l := a.l
	var change, best float64
	a.trail = a.trail[:0]
	bestAt := 0
	moves := a.perBlock * len(blocks)
	t, cool := anneal0, math.Pow(anneal1/anneal0, 1/float64(moves))
	feasible := 0
	for k := range moves {
		if k == moves/20 && feasible == 0 {
			break // every grid is held where it is by the band
		}
		t *= cool
		v := blocks[rng.IntN(len(blocks))]
		if len(beside) > 0 && rng.Float64() < besideShare {
			v = beside[rng.IntN(len(beside))]
		}
		arcs := l.arcs[v]
		if len(arcs) == 0 {
			continue
		}
		p, q := l.part[v], l.part[arcs[rng.IntN(len(arcs))].to]
		if p == q || a.fixed[p] || a.fixed[q] {
			continue
		}
		a.one[0] = v
		set := a.one[:]
		if rng.Float64() < pieceShare {
			if set = a.pieceOf(v); set == nil {
				continue
			}
		}
		m, ok := l.consider(set, q)
		if ok {
			feasible++
		}
		// Past 30 t a move is taken less than once in 10¹³ tries: not
		// worth the exponential.
		if !ok || m.delta > 30*t || (m.delta > 0 && rng.Float64() >= math.Exp(-m.delta/t)) {
			continue
		}
		if !a.connectedWithout(set, p) {
			continue
		}
		m.set = append([]int(nil), set...) // the piece's buffer is reused
		a.trail = append(a.trail, l.undo(m))
		l.apply(m)
		if change += m.delta; change < best {
			best, bestAt = change, len(a.trail)
		}
	}
	for len(a.trail) > bestAt {
		l.apply(a.trail[len(a.trail)-1])
		a.trail = a.trail[:len(a.trail)-1]
	}
	return best
}

// necks counts the grids of blocks (one community's) held together only
// through a neck. known holds what it found of every set of blocks it
// looked at, for the next call: most grids of a community come out of the
// annealer as they went in.
func (a *annealer) necks(blocks []int, known neckMemo) int {
	grids := map[int][]int{}
	for _, v := range blocks {
		grids[a.l.part[v]] = append(grids[a.l.part[v]], v)
	}
	n := 0
	for _, members := range grids {
		if known.has(a.gctx, a.l.b, members) {
			n++
		}
	}
	return n
}

// pieceOf returns the blocks of v's grid that v reaches without crossing a
// main feature, nil if there are more than maxPiece.
func (a *annealer) pieceOf(v int) []int {
	l := a.l
	p := l.part[v]
	a.epoch++
	a.stamp[v] = a.epoch
	a.piece = append(a.piece[:0], v)
	for i := 0; i < len(a.piece); i++ {
		for _, arc := range l.arcs[a.piece[i]] {
			if u := arc.to; !arc.major && l.part[u] == p && a.stamp[u] != a.epoch {
				if len(a.piece) == maxPiece {
					return nil
				}
				a.stamp[u] = a.epoch
				a.piece = append(a.piece, u)
			}
		}
	}
	return a.piece
}

// connectedWithout reports whether grid p stays in one piece without set.
// It is partSearch.without for a set, written out over the layout's arcs:
// called through partSearch's callbacks it made Camden's annealer 0.13 s
// slower (0.51–0.54 s against 0.63–0.70 s), on its hottest path.
func (a *annealer) connectedWithout(set []int, p int) bool {
	l := a.l
	if len(set) == 1 {
		// A block with one neighbour in its grid leaves the rest as it was.
		first, leaf := -1, true
		for _, arc := range l.arcs[set[0]] {
			if u := arc.to; l.part[u] == p && u != first {
				if first >= 0 {
					leaf = false
					break
				}
				first = u
			}
		}
		if leaf {
			return true
		}
	}
	a.epoch++
	for _, v := range set {
		a.stamp[v] = a.epoch
	}
	a.queue = a.queue[:0]
	for _, v := range set {
		for _, arc := range l.arcs[v] {
			if u := arc.to; len(a.queue) == 0 && l.part[u] == p && a.stamp[u] != a.epoch {
				a.stamp[u] = a.epoch
				a.queue = append(a.queue, u)
			}
		}
	}
	for i := 0; i < len(a.queue); i++ {
		for _, arc := range l.arcs[a.queue[i]] {
			if u := arc.to; l.part[u] == p && a.stamp[u] != a.epoch {
				a.stamp[u] = a.epoch
				a.queue = append(a.queue, u)
			}
		}
	}
	return len(a.queue) == l.size[p]-len(set)
}
