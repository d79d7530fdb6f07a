package partition

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// Options tune Partition.
type Options struct {
	Band Band
	Seed uint64
	// Trees is how many spanning trees are cut per connected piece of a
	// community; 0 spends a fixed budget of work (see treeWork).
	Trees   int
	Workers int // communities solved at once; 0 means GOMAXPROCS
	// Progress, when set, is told after each piece of a community is
	// solved how many of how many are done (from several goroutines).
	Progress func(done, total int)

	memo  *memo // solutions of pieces already solved, when set
	rough bool  // skip the annealer (see anneal)
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// The trees cut by default are a budget of work, in nodes times trees: a
// jurisdiction of up to treeWork/maxTrees blocks gets maxTrees trees per
// piece, a larger one fewer, never below minTrees, so that the cut of a city
// of 100,000 blocks costs what minTrees always cost. More trees find cuts that
// leave less of the major features inside grids: on Camden (5,068 blocks,
// seeds 1–5), 64 trees rather than 8 left 20.6 % rather than 21.5 %, with a
// Polsby–Popper median of 0.478 rather than 0.471; 128 gained 0.1 point more
// on seed 1, for twice the time.
const (
	treeWork = 400_000
	minTrees = 8
	maxTrees = 64
)

// trees returns the trees to cut per piece of a graph of n nodes.
func (o Options) trees(n int) int {
	if o.Trees > 0 {
		return o.Trees
	}
	return min(maxTrees, max(minTrees, treeWork/max(n, 1)))
}

// A Grid is a set of whole blocks inside one community.
type Grid struct {
	Code       string
	Community  int
	Blocks     []int
	Households int
	Shape      orb.Polygon // projected metres; outer ring counter-clockwise
	Exclave    orb.MultiPolygon
	Area       float64
	Perimeter  float64
	// Exception says why a grid is outside the band; empty when it is inside.
	Exception string
}

// A Problem is a part of the request that cannot be met as asked: where it
// is, why, and the smallest change that would fix it.
type Problem struct {
	Kind       string    `json:"kind"`
	Community  string    `json:"community,omitempty"`
	Grid       string    `json:"grid,omitempty"`
	Households int       `json:"households"`
	Where      orb.Point `json:"where"` // WGS84
	Message    string    `json:"message"`
	Fix        string    `json:"fix"`
}

// Result is a partition of a jurisdiction into grids.
type Result struct {
	Blocks    *Blocks
	Band      Band
	Grids     []Grid
	BlockGrid []int // the grid of each block
	Problems  []Problem
}

// Partition divides the blocks of every community into grids.
func Partition(ctx context.Context, b *Blocks, opt Options) (*Result, error) {
	if err := opt.Band.Validate(); err != nil {
		return nil, err
	}
	g := b.Graph()
	comm := make([]int, len(b.Blocks))
	for i, blk := range b.Blocks {
		comm[i] = blk.Community
	}
	as, err := Assign(ctx, g, comm, len(b.Communities), opt)
	if err != nil {
		return nil, err
	}
	roundOff(b, opt.Band, as.Part)
	if !opt.rough {
		known, err := anneal(ctx, b, opt.Band, as.Part, opt.Seed, opt.workers())
		if err != nil {
			return nil, err
		}
		roundOff(b, opt.Band, as.Part)
		mendNecks(b, opt.Band, as.Part, known)
	}
	absorbEmpty(b, as)
	r := &Result{Blocks: b, Band: opt.Band, BlockGrid: as.Part, Grids: make([]Grid, as.Parts)}
	for gi := range r.Grids {
		r.Grids[gi].Community = as.Community[gi]
	}
	for v, gi := range as.Part {
		r.Grids[gi].Blocks = append(r.Grids[gi].Blocks, v)
		r.Grids[gi].Households += b.Blocks[v].Households
	}
	if err := r.shapeGrids(ctx, opt.workers()); err != nil {
		return nil, err
	}
	r.number()
	r.explain(as.Pieces)
	return r, nil
}

// absorbEmpty gives every grid that holds no household to the neighbouring
// grid of its community it shares most edge with (one with households if it
// has such a neighbour): ground where nobody lives changes no grid's count,
// and a grid of nobody is none. The solver leaves such a grid where empty
// blocks touch only a building too large for any grid, which it never joins
// to anything.
func absorbEmpty(b *Blocks, as *Assignment) {
	households := make([]int, as.Parts)
	for v, p := range as.Part {
		households[p] += b.Blocks[v].Households
	}
	shared := map[[2]int]float64{} // empty grid, neighbour → edge length
	for _, c := range b.contacts() {
		p, q := as.Part[c.u], as.Part[c.v]
		if p == q {
			continue
		}
		if households[p] == 0 {
			shared[[2]int{p, q}] += c.length
		}
		if households[q] == 0 {
			shared[[2]int{q, p}] += c.length
		}
	}
	into := make([]int, as.Parts)
	for p := range into {
		into[p] = p
	}
	// A grid with households first, then the longest edge, then the lowest
	// number.
	better := func(p, q int, l float64) bool {
		r := into[p]
		if r == p || (households[q] > 0) != (households[r] > 0) {
			return r == p || households[q] > 0
		}
		lr := shared[[2]int{p, r}]
		return l > lr || l == lr && q < r
	}
	for k, l := range shared {
		if p, q := k[0], k[1]; better(p, q, l) {
			into[p] = q
		}
	}
	// Each empty grid joins the grid it chose; chains of empty grids lead to
	// one that holds households, or round to where they began (and join).
	joined := newMergeForest(as.Parts)
	for p, q := range into {
		joined.union(int32(p), int32(q), int32(p))
	}
	root := func(p int) int { return int(joined.root(int32(p))) }
	label := make([]int, as.Parts)
	var community []int
	for p := range label {
		label[p] = -1
	}
	for p := range as.Parts {
		if r := root(p); label[r] < 0 {
			label[r] = len(community)
			community = append(community, as.Community[r])
		}
	}
	if len(community) == as.Parts {
		return
	}
	for v, p := range as.Part {
		as.Part[v] = label[root(p)]
	}
	as.Parts, as.Community = len(community), community
}

// Assignment is the grid of every node of a graph.
type Assignment struct {
	Part      []int // grid of each node
	Parts     int
	Community []int // community of each grid
	// Pieces lists, per community, its connected pieces (nodes sorted).
	Pieces [][][]int32
}

// Assign partitions every community of g on its own, in parallel: each
// connected piece of a community is solved by Solve. community gives each
// node's community, numbered below n. The result does not depend on the
// number of workers or their scheduling.
func Assign(ctx context.Context, g *Graph, community []int, n int, opt Options) (*Assignment, error) {
	byComm := make([][]int32, n)
	for v, c := range community {
		byComm[c] = append(byComm[c], int32(v))
	}
	type job struct {
		community int
		nodes     []int32
		sol       Solution
		err       error
	}
	var jobs []*job
	pieces := make([][][]int32, n)
	for ci, nodes := range byComm {
		if len(nodes) == 0 {
			continue
		}
		for _, comp := range g.Subgraph(nodes).Components() {
			orig := make([]int32, len(comp))
			for i, v := range comp {
				orig[i] = nodes[v]
			}
			jobs = append(jobs, &job{community: ci, nodes: orig})
			pieces[ci] = append(pieces[ci], orig)
		}
	}
	// The largest pieces go first, so that no worker is left with one at
	// the end while the others idle; each job keeps its own result, so the
	// order changes nothing else.
	order := make([]int, len(jobs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(jobs[b].nodes), len(jobs[a].nodes)) })
	trees := opt.trees(g.N())
	var done atomic.Int64
	err := parallel(ctx, opt.workers(), len(jobs), func() struct{} { return struct{}{} }, func(_ struct{}, i int) {
		j := jobs[order[i]]
		sub := g.Subgraph(j.nodes)
		so := SolveOptions{Band: opt.Band, Trees: trees, Seed: opt.Seed ^ jobSeed(j.community, j.nodes[0])}
		var ok bool
		if j.sol, ok = opt.memo.find(sub, so); !ok {
			j.sol, j.err = Solve(ctx, sub, so)
			if j.err == nil {
				opt.memo.keep(sub, so, j.sol)
			}
		}
		if opt.Progress != nil {
			opt.Progress(int(done.Add(1)), len(jobs))
		}
	})
	if err != nil {
		return nil, err
	}
	as := &Assignment{Part: make([]int, g.N()), Pieces: pieces}
	for _, j := range jobs {
		if j.err != nil {
			return nil, fmt.Errorf("community %d: %w", j.community, j.err)
		}
		for i, v := range j.nodes {
			as.Part[v] = as.Parts + int(j.sol.Part[i])
		}
		for range j.sol.Parts {
			as.Community = append(as.Community, j.community)
		}
		as.Parts += j.sol.Parts
	}
	return as, nil
}

// jobSeed derives a stable seed for a piece of a community.
func jobSeed(community int, first int32) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d", community, first)
	return h.Sum64()
}

// Graph returns the block graph: blocks weighted by households, linked where
// they share an edge inside one community, with the costs of the edge's class.
func (b *Blocks) Graph() *Graph {
	w := make([]int32, len(b.Blocks))
	sites := make([]Site, len(b.Blocks))
	for i, blk := range b.Blocks {
		w[i] = int32(blk.Households)
		c, a := planar.CentroidArea(blk.Shape)
		sites[i] = Site{X: c[0], Y: c[1], Area: a}
	}
	var links []Link
	for _, c := range b.contacts() {
		cut, in := costOf(c.class, c.length)
		links = append(links, Link{U: int32(c.u), V: int32(c.v), Cut: cut, In: in})
	}
	g := NewGraph(w, links)
	g.Sites = sites
	return g
}

// A contact is a length of barrier of one class between two blocks of one
// community: what the block graph is built from.
type contact struct {
	u, v   int
	class  datasets.Class
	length float64
}

// contacts returns the contacts between blocks: from the edges of blocks
// just built, or as a store kept them, less the pinches (see dropPinches).
func (b *Blocks) contacts() []contact {
	out := slices.Clone(b.restored)
	for _, e := range b.Edges {
		u, v := e.Faces[0], e.Faces[1]
		if u < 0 || v < 0 || u == v || b.Blocks[u].Community != b.Blocks[v].Community {
			continue
		}
		out = append(out, contact{u: u, v: v, class: datasets.Class(e.Tag), length: e.Length()})
	}
	return dropPinches(len(b.Blocks), out)
}

// Neighbours returns the blocks that each block counts as its neighbours,
// given the community of every block and the links between them (as a store
// keeps them): within a community, those the partitioner links (see dropPinches);
// across communities, every block it touches.
func Neighbours(community []string, links []SavedLink) [][]int {
	var cs []contact
	out := make([][]int, len(community))
	add := func(u, v int) {
		if !slices.Contains(out[u], v) {
			out[u] = append(out[u], v)
			out[v] = append(out[v], u)
		}
	}
	for _, l := range links {
		if l.U == l.V {
			continue
		}
		if community[l.U] == community[l.V] {
			cs = append(cs, contact{u: l.U, v: l.V, class: l.Class, length: l.Length})
		} else {
			add(l.U, l.V)
		}
	}
	for _, c := range dropPinches(len(community), cs) {
		add(c.u, c.v)
	}
	return out
}

// minContact is the least length of edge, in metres, by which two blocks
// count as neighbours. Two streets that meet a third a few metres apart
// leave the blocks diagonally across the junction a stub of shared edge: a
// grid joined through it would be two lumps meeting at a street corner.
const minContact = 5.0

// dropPinches removes the contacts between blocks that share less than
// minContact of edge in all, unless the contact is what joins its blocks at
// all: then the longest such contacts are kept, as few as keep every set of
// blocks that was connected connected.
func dropPinches(n int, cs []contact) []contact {
	type pair struct{ u, v int }
	key := func(c contact) pair { return pair{min(c.u, c.v), max(c.u, c.v)} }
	shared := map[pair]float64{}
	for _, c := range cs {
		shared[key(c)] += c.length
	}
	joined := newMergeForest(n) // a union–find; when each union was made is not used
	var pinches []pair
	for p, l := range shared {
		if l >= minContact {
			joined.union(int32(p.u), int32(p.v), 0)
		} else {
			pinches = append(pinches, p)
		}
	}
	if len(pinches) == 0 {
		return cs
	}
	slices.SortFunc(pinches, func(a, b pair) int {
		if c := cmp.Compare(shared[b], shared[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.u, b.u); c != 0 {
			return c
		}
		return cmp.Compare(a.v, b.v)
	})
	dropped := map[pair]bool{}
	for i, p := range pinches {
		if !joined.union(int32(p.u), int32(p.v), int32(i)) {
			dropped[p] = true
		}
	}
	return slices.DeleteFunc(cs, func(c contact) bool { return dropped[key(c)] })
}

// shapeGrids dissolves each grid's blocks into its outline. Blocks share their
// edges vertex for vertex, so a coverage union is exact and neighbouring grids
// keep identical shared boundaries.
func (r *Result) shapeGrids(ctx context.Context, workers int) error {
	errs := make([]error, len(r.Grids))
	err := parallel(ctx, workers, len(r.Grids), geos.NewContext, func(gctx *geos.Context, gi int) {
		errs[gi] = r.shapeGrid(gctx, gi)
	})
	if err != nil {
		return err
	}
	for gi, err := range errs {
		if err != nil {
			return fmt.Errorf("outline of grid %d: %w", gi, err)
		}
	}
	return nil
}

// parallel calls fn for every i in [0, n) on workers goroutines, each with
// its own state from newState (a GEOS context serialises its calls, so each
// goroutine needs one). It returns ctx's error if ctx ends first.
func parallel[S any](ctx context.Context, workers, n int, newState func() S, fn func(S, int)) error {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := newState()
			for i := range next {
				fn(st, i)
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

func (r *Result) shapeGrid(gctx *geos.Context, gi int) (err error) {
	defer geo.Recover(&err)
	g := &r.Grids[gi]
	polys, err := r.Blocks.outline(gctx, g.Blocks)
	if err != nil {
		return err
	}
	for i := range polys {
		g.Area += planar.Area(polys[i])
		for _, ring := range polys[i] {
			g.Perimeter += planar.Length(orb.LineString(ring))
		}
	}
	if len(polys) > 0 {
		g.Shape = polys[0]
		if len(polys) > 1 {
			g.Exclave = polys[1:]
		}
	}
	return nil
}

// outline returns the outline of a set of blocks: one polygon for a set
// that is connected, largest first otherwise (see geo.Dissolve).
func (b *Blocks) outline(gctx *geos.Context, blocks []int) ([]orb.Polygon, error) {
	shapes := make([]orb.Polygon, len(blocks))
	for i, bi := range blocks {
		shapes[i] = b.Blocks[bi].Shape
	}
	return geo.Dissolve(gctx, shapes)
}

// number gives grids their codes: the community's code and a serial numbered
// in rows from north to south, west to east within a row. Rows are as tall as
// a typical grid is wide, so the serials read like a page of the map; identical
// input gives identical codes. Grids come out sorted by code.
func (r *Result) number() {
	byComm := map[int][]int{}
	for gi, g := range r.Grids {
		byComm[g.Community] = append(byComm[g.Community], gi)
	}
	type keyed struct {
		row int
		x   float64
		gi  int
	}
	for ci, gis := range byComm {
		var areas []float64
		top := math.Inf(-1)
		cs := make(map[int]orb.Point, len(gis))
		for _, gi := range gis {
			g := r.Grids[gi]
			areas = append(areas, g.Area)
			c, _ := planar.CentroidArea(g.Shape)
			cs[gi] = c
			top = math.Max(top, c[1])
		}
		slices.Sort(areas)
		rowH := math.Max(math.Sqrt(areas[len(areas)/2]), 1)
		ks := make([]keyed, len(gis))
		for i, gi := range gis {
			c := cs[gi]
			ks[i] = keyed{int((top - c[1]) / rowH), c[0], gi}
		}
		slices.SortFunc(ks, func(a, b keyed) int {
			if a.row != b.row {
				return cmp.Compare(a.row, b.row)
			}
			return cmp.Compare(a.x, b.x)
		})
		code := r.Blocks.Communities[ci].Code
		for i, k := range ks {
			r.Grids[k.gi].Code = fmt.Sprintf("%s%03d", code, i+1)
		}
	}
	// Sort grids by code and renumber BlockGrid.
	order := make([]int, len(r.Grids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(r.Grids[a].Code, r.Grids[b].Code) })
	newIdx := make([]int, len(order))
	grids := make([]Grid, len(order))
	for ni, oi := range order {
		newIdx[oi] = ni
		grids[ni] = r.Grids[oi]
	}
	r.Grids = grids
	for bi, gi := range r.BlockGrid {
		r.BlockGrid[bi] = newIdx[gi]
	}
}
