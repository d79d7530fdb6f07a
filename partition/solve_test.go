package partition

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomTree returns a random tree graph of n nodes.
func randomTree(rng *rand.Rand, n int, maxW int) *Graph {
	w := make([]int32, n)
	for i := range w {
		w[i] = int32(rng.IntN(maxW + 1))
	}
	var links []Link
	for v := 1; v < n; v++ {
		links = append(links, Link{U: int32(rng.IntN(v)), V: int32(v), Cut: rng.Float64() * 100, In: rng.Float64() * 50})
	}
	return NewGraph(w, links)
}

// bruteForce returns the least objective over every set of cut tree links.
func bruteForce(g *Graph, b Band) float64 {
	type e struct{ u, v int32 }
	var es []e
	for u := range int32(g.N()) {
		a, z := g.arcs(u)
		for k := a; k < z; k++ {
			if v := g.to[k]; u < v {
				es = append(es, e{u, v})
			}
		}
	}
	best := math.Inf(1)
	for mask := 0; mask < 1<<len(es); mask++ {
		uf := newMergeForest(g.N())
		for i, x := range es {
			if mask&(1<<i) == 0 {
				uf.union(x.u, x.v, int32(i))
			}
		}
		label := map[int32]int32{}
		part := make([]int32, g.N())
		for v := range int32(g.N()) {
			r := uf.root(v)
			if _, ok := label[r]; !ok {
				label[r] = int32(len(label))
			}
			part[v] = label[r]
		}
		if overfull(g, b, part, len(label)) {
			continue // Max is hard: only a single indivisible node may exceed it
		}
		if c := objective(g, b, part, len(label)); c < best {
			best = c
		}
	}
	return best
}

func overfull(g *Graph, b Band, part []int32, parts int) bool {
	w, cnt := partSizes(g, part, parts)
	for p := range parts {
		if w[p] > b.Max && cnt[p] > 1 {
			return true
		}
	}
	return false
}

func TestTreeDPIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bands := []Band{{Min: 20, Max: 50}, {Min: 30, Max: 40}, {Min: 20, Max: 50, Target: 35}, {Min: 1, Max: 15}}
	for trial := range 300 {
		b := bands[trial%len(bands)]
		g := randomTree(rng, 2+rng.IntN(10), 25)
		part, parts := newTreeDP(g, b).cut(spanningTree(g, nil))
		got := objective(g, b, part, parts)
		want := bruteForce(g, b)
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Fatalf("trial %d band %+v: DP cost %.6f, brute force %.6f (weights %v)", trial, b, got, want, g.W)
		}
	}
}

// lattice returns a w×h grid graph with random weights.
func lattice(rng *rand.Rand, w, h, maxW int) *Graph {
	ws := make([]int32, w*h)
	for i := range ws {
		ws[i] = int32(rng.IntN(maxW + 1))
	}
	var links []Link
	for y := range h {
		for x := range w {
			v := int32(y*w + x)
			if x+1 < w {
				links = append(links, Link{U: v, V: v + 1, Cut: 50 + rng.Float64()*50})
			}
			if y+1 < h {
				links = append(links, Link{U: v, V: v + int32(w), Cut: 50 + rng.Float64()*50})
			}
		}
	}
	return NewGraph(ws, links)
}

func TestSolveKeepsBandAndContiguity(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		maxW int
		band Band
	}{
		{"city block lattice", 30, 30, 40, Band{Min: 200, Max: 500}},
		{"narrow band", 20, 20, 30, Band{Min: 300, Max: 500}},
		{"many empty blocks", 25, 25, 8, Band{Min: 200, Max: 300}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := lattice(rand.New(rand.NewPCG(7, 7)), tt.w, tt.h, tt.maxW)
			s, err := Solve(context.Background(), g, SolveOptions{Band: tt.band, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			checkSolution(t, g, tt.band, s)
		})
	}
}

// checkSolution asserts that every part is connected and in the band.
func checkSolution(t *testing.T, g *Graph, b Band, s Solution) {
	t.Helper()
	w := make([]int, s.Parts)
	for v, p := range s.Part {
		w[p] += int(g.W[v])
	}
	for p, h := range w {
		if !b.Contains(h) {
			t.Errorf("part %d holds %d households, outside [%d, %d]", p, h, b.Min, b.Max)
		}
	}
	for p := range s.Parts {
		var nodes []int32
		for v, q := range s.Part {
			if int(q) == p {
				nodes = append(nodes, int32(v))
			}
		}
		if c := len(g.Subgraph(nodes).Components()); c != 1 {
			t.Errorf("part %d is in %d pieces", p, c)
		}
	}
}

func TestBandCounts(t *testing.T) {
	tests := []struct {
		b      Band
		total  int
		lo, hi int
		ok     bool
	}{
		{Band{Min: 200, Max: 500}, 3250, 7, 16, true},
		{Band{Min: 300, Max: 500}, 550, 2, 1, false},
		{Band{Min: 200, Max: 500}, 150, 1, 0, false},
		{Band{Min: 200, Max: 500}, 500, 1, 2, true},
	}
	for _, tt := range tests {
		lo, hi, ok := tt.b.Counts(tt.total)
		if lo != tt.lo || hi != tt.hi || ok != tt.ok {
			t.Errorf("%+v.Counts(%d) = %d, %d, %v; want %d, %d, %v", tt.b, tt.total, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}

// A road splits a 6×6 lattice down the middle. The tree crosses it once, and
// that one tree link must stand for the whole road: cutting it is what puts
// all six road links on a boundary.
func TestSpanningTreeChargesTheRoadToItsCrossing(t *testing.T) {
	const side = 6
	var links []Link
	id := func(x, y int) int32 { return int32(y*side + x) }
	for y := range side {
		for x := range side {
			if x+1 < side {
				l := Link{U: id(x, y), V: id(x+1, y), Cut: 1, In: 0}
				if x == 2 {
					l = Link{U: id(x, y), V: id(x+1, y), Cut: 0.1, In: 5} // the road
				}
				links = append(links, l)
			}
			if y+1 < side {
				links = append(links, Link{U: id(x, y), V: id(x, y+1), Cut: 1, In: 0})
			}
		}
	}
	g := NewGraph(make([]int32, side*side), links)
	for seed := range uint64(5) {
		var rng *rand.Rand
		if seed > 0 {
			rng = rand.New(rand.NewPCG(seed, 1))
		}
		tr := spanningTree(g, rng)
		var cut, in, crossing float64
		for v, p := range tr.parent {
			if p < 0 {
				continue
			}
			cut += tr.cut[v]
			in += tr.in[v]
			if (v%side <= 2) != (int(p)%side <= 2) {
				crossing += tr.in[v]
			}
		}
		// Every link is charged once: 60 links, 6 of them road.
		if math.Abs(cut-(54+0.6)) > 1e-9 || math.Abs(in-30) > 1e-9 {
			t.Errorf("seed %d: tree carries cut %v, in %v; want 54.6 and 30", seed, cut, in)
		}
		if seed == 0 && crossing != 30 {
			t.Errorf("the road's crossing carries In %v, want all 30", crossing)
		}
	}
}

func TestMomentsDelta(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	g := lattice(rng, 5, 4, 10)
	g.Sites = make([]Site, g.N())
	for v := range g.Sites {
		g.Sites[v] = Site{X: float64(v%5) * 100, Y: float64(v/5) * 100, Area: 1000 + rng.Float64()*9000}
	}
	part := make([]int32, g.N())
	for v := range part {
		part[v] = int32(v % 3)
	}
	m := newMoments(g, part, 3)
	for v := range int32(g.N()) {
		p, q := part[v], (part[v]+1)%3
		before := compactness(g, part, 3)
		part[v] = q
		after := compactness(g, part, 3)
		part[v] = p
		if d := m.delta(v, p, q); math.Abs(d-(after-before)) > 1e-6*math.Max(1, math.Abs(d)) {
			t.Fatalf("move %d %d→%d: delta %v, recomputed %v", v, p, q, d, after-before)
		}
	}
}

// TestRescueFeedsAPocketThroughEmptyBlocks rebuilds the pocket that once
// stayed below the band in Camden (E02000189): a 183-household block whose
// one populated neighbour (254) cannot join it without overflowing the
// neighbour's grid, while a 98-household block lies two empty blocks away.
func TestRescueFeedsAPocketThroughEmptyBlocks(t *testing.T) {
	//   pocket(183) ── hub ── 16, 23
	//      │            │
	//   empty ── empty ── light(98)
	links := []Link{{U: 0, V: 1}, {U: 0, V: 2}, {U: 2, V: 3}, {U: 3, V: 4}, {U: 4, V: 1}, {U: 1, V: 5}, {U: 1, V: 6}}
	for i := range links {
		links[i].Cut = 1
	}
	band := Band{Min: 200, Max: 500}
	tests := []struct {
		name string
		hub  int32
		part []int32
		want []int // households of each part after rescue
	}{
		{"pocket with one empty", 254, []int32{0, 1, 0, 1, 1, 1, 1}, []int{281, 293}},
		{"pocket alone", 254, []int32{0, 1, 1, 1, 1, 1, 1}, []int{281, 293}},
		{"in band already", 254, []int32{0, 1, 0, 0, 0, 1, 1}, []int{281, 293}},
		{"fed from an overfull neighbour", 254, []int32{0, 0, 0, 0, 0, 1, 1}, []int{281, 293}},
		// Feeding the light block would leave its grid at 189; taking the
		// hub would cut 16 and 23 off from the rest of theirs.
		{"no donor can spare it", 150, []int32{0, 1, 0, 1, 1, 1, 1}, []int{183, 287}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGraph([]int32{183, tc.hub, 0, 0, 98, 16, 23}, links)
			s := Solution{Part: slices.Clone(tc.part), Parts: 2}
			rescue(g, band, &s, nil, 0)
			got, _ := partSizes(g, s.Part, s.Parts)
			if !slices.Equal(got, tc.want) {
				t.Errorf("parts hold %v households, want %v (assignment %v)", got, tc.want, s.Part)
			}
			for p := range int32(s.Parts) {
				var nodes []int32
				for v, q := range s.Part {
					if q == p {
						nodes = append(nodes, int32(v))
					}
				}
				if c := g.Subgraph(nodes).Components(); len(c) != 1 {
					t.Errorf("part %d in %d pieces", p, len(c))
				}
			}
		})
	}
}
