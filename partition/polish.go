package partition

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// The solver keeps grids compact by their spread (see compactWeight), which
// weighs a grid by its area: a large grid that is a little long counts for
// more than a small one that is ragged. Grid offices judge every grid by its
// shape alone, as Polsby–Popper does (4πA/P², 1 for a disc). roundOff makes
// that last pass, over the finished assignment.
const (
	// ppEnough is the Polsby–Popper past which a grid gains nothing from being
	// rounder: a square is 0.79, a 2:1 rectangle 0.70.
	ppEnough = 0.6
	// ppWeight prices Polsby–Popper in the units of the boundary costs, at
	// the rate compactWeight sets: a disc against a 4:1 rectangle of the same
	// area (PP 1 against 0.5) is worth some 900 m of side street as boundary,
	// 630 units, so 0.5 of PP is worth about 630.
	ppWeight = 1260.0
	// minGain is the least gain, in cost units, worth a move: about a metre
	// of side street, so that rounding errors never move a block back and
	// forth.
	minGain = 0.5
)

// roundOff moves single blocks between neighbouring grids of one community
// (part gives each block's grid) while that lowers the boundary costs less
// ppWeight times the two grids' Polsby–Popper, each counted up to ppEnough:
// a move rounds a grid off where that costs little boundary strength, or
// takes a boundary onto a stronger feature where that costs little shape. A
// move must keep both grids in the band and the grid it leaves connected;
// every edge it turns into a grid boundary must be a feature on the ground
// (where the community has any), and no main feature may end up inside a
// grid. It returns how many blocks moved.
func roundOff(b *Blocks, band Band, part []int) int {
	l := newLayout(b, band, part, prices{majorIn: 1})
	n := len(b.Blocks)
	search := newPartSearch(n)
	moved := 0
	for pass := 0; pass < 20; pass++ {
		movedNow := 0
		for v := range n {
			p := part[v]
			set := []int{v}
			bestQ, bestGain := -1, minGain
			var best move
			for _, cand := range l.arcs[v] {
				q := part[cand.to]
				if q == p || bestQ == q {
					continue
				}
				m, ok := l.consider(set, q)
				if !ok || m.major {
					continue
				}
				if gain := -m.delta; gain > bestGain {
					bestQ, bestGain, best = q, gain, m
				}
			}
			if bestQ < 0 || !search.without(int32(v), l.size[p], func(u int32) bool { return part[u] == p }, l.neighbours) {
				continue
			}
			l.apply(best)
			movedNow++
		}
		moved += movedNow
		if movedNow == 0 {
			break
		}
	}
	return moved
}

// prices say what a layout charges for an edge, in multiples of costs.
type prices struct {
	majorIn float64 // a main feature kept inside a grid, times its In
	// offFeature is for an edge that is no feature on the ground (a cut
	// between buildings, a main feature carried on across open ground) made
	// a grid boundary, times its Cut; 0: no such edge may become one.
	offFeature float64
}

// A layout is an assignment of blocks to grids with what a move between
// grids needs at hand: each block's contacts and perimeter, each grid's
// area, perimeter, households and blocks, at the prices it was made with.
type layout struct {
	b            *Blocks
	band         Band
	part         []int
	arcs         [][]arc
	rim          []float64 // each block's perimeter
	featuresOnly bool

	area, perim  []float64 // of each grid
	weight, size []int
}

// An arc is a block's contact with a neighbour in its community.
type arc struct {
	to             int
	length         float64
	cutGain        float64 // cut − in cost: what turning the arc into a boundary adds
	feature, major bool
}

func newLayout(b *Blocks, band Band, part []int, pr prices) *layout {
	n := len(b.Blocks)
	l := &layout{b: b, band: band, part: part, arcs: make([][]arc, n), rim: make([]float64, n), featuresOnly: pr.offFeature == 0}
	contacts := b.contacts()
	// A community drawn from units alone has no feature to keep boundaries
	// on: there any edge may become one.
	featured := make([]bool, len(b.Communities))
	for _, c := range contacts {
		featured[b.Blocks[c.u].Community] = featured[b.Blocks[c.u].Community] || c.class.IsFeature()
	}
	for _, c := range contacts {
		cut, in := costOf(c.class, c.length)
		if c.class.IsMajor() {
			in *= pr.majorIn
		}
		feature := c.class.IsFeature() || !featured[b.Blocks[c.u].Community]
		if !feature && pr.offFeature > 0 {
			cut *= pr.offFeature
		}
		l.arcs[c.u] = append(l.arcs[c.u], arc{c.v, c.length, cut - in, feature, c.class.IsMajor()})
		l.arcs[c.v] = append(l.arcs[c.v], arc{c.u, c.length, cut - in, feature, c.class.IsMajor()})
	}
	grids := 0
	for _, p := range part {
		grids = max(grids, p+1)
	}
	l.area, l.perim = make([]float64, grids), make([]float64, grids)
	l.weight, l.size = make([]int, grids), make([]int, grids)
	all := make([]int, n)
	for v, blk := range b.Blocks {
		for _, ring := range blk.Shape {
			l.rim[v] += planar.Length(orb.LineString(ring))
		}
		all[v] = v
	}
	l.count(all)
	return l
}

// count sets the figures of the grids that blocks (all of their blocks, in
// order) make up afresh from part.
func (l *layout) count(blocks []int) {
	for _, v := range blocks {
		p := l.part[v]
		l.area[p], l.perim[p], l.weight[p], l.size[p] = 0, 0, 0, 0
	}
	for _, v := range blocks {
		p := l.part[v]
		l.area[p] += l.b.Blocks[v].Area
		l.perim[p] += l.rim[v]
		l.weight[p] += l.b.Blocks[v].Households
		l.size[p]++
		for _, a := range l.arcs[v] {
			if l.part[a.to] == p {
				l.perim[p] -= a.length // counted once from each side: twice in all
			}
		}
	}
}

// neighbours calls visit with every block in contact with x.
func (l *layout) neighbours(x int32, visit func(int32)) {
	for _, a := range l.arcs[x] {
		visit(int32(a.to))
	}
}

// shape is a grid's Polsby–Popper, counted up to ppEnough.
func shape(area, perim float64) float64 {
	if perim <= 0 {
		return 0
	}
	return min(4*math.Pi*area/(perim*perim), ppEnough)
}

// A move takes a set of blocks of one grid to a neighbouring grid.
type move struct {
	set        []int
	from, to   int
	delta      float64 // in the objective: boundary costs less ppWeight times shape
	pFrom, pTo float64 // the two grids' perimeters after it
	major      bool    // it puts a main feature inside a grid
	households int
	area       float64
}

// consider prices moving set (blocks of one grid, linked among themselves)
// into grid q. It is not ok when it would take a grid out of the band or
// leave the grid empty, or (with featuresOnly) turn an edge that is no
// feature into a grid boundary.
func (l *layout) consider(set []int, q int) (move, bool) {
	p := l.part[set[0]]
	m := move{set: set, from: p, to: q}
	var rims, toP, toQ, within float64
	for _, v := range set {
		m.households += l.b.Blocks[v].Households
		m.area += l.b.Blocks[v].Area
		rims += l.rim[v]
	}
	if l.size[p] == len(set) || l.weight[p]-m.households < l.band.Min || l.weight[q]+m.households > l.band.Max {
		return m, false
	}
	for _, v := range set {
		for _, a := range l.arcs[v] {
			switch l.part[a.to] {
			case p:
				if len(set) > 1 && slices.Contains(set, a.to) {
					within += a.length // counted from both ends
					continue
				}
				if !a.feature && l.featuresOnly {
					return m, false
				}
				toP += a.length
				m.delta += a.cutGain
			case q:
				m.major = m.major || a.major
				toQ += a.length
				m.delta -= a.cutGain
			}
		}
	}
	m.pFrom = l.perim[p] - rims + 2*toP + within
	m.pTo = l.perim[q] + rims - 2*toQ - within
	m.delta -= ppWeight * (shape(l.area[p]-m.area, m.pFrom) + shape(l.area[q]+m.area, m.pTo) -
		shape(l.area[p], l.perim[p]) - shape(l.area[q], l.perim[q]))
	return m, true
}

// undo returns the move that takes m back, made before m is.
func (l *layout) undo(m move) move {
	return move{set: m.set, from: m.to, to: m.from, delta: -m.delta, pFrom: l.perim[m.to], pTo: l.perim[m.from],
		major: m.major, households: m.households, area: m.area}
}

// apply makes a move.
func (l *layout) apply(m move) {
	p, q := m.from, m.to
	l.area[p] -= m.area
	l.area[q] += m.area
	l.perim[p], l.perim[q] = m.pFrom, m.pTo
	l.weight[p] -= m.households
	l.weight[q] += m.households
	l.size[p] -= len(m.set)
	l.size[q] += len(m.set)
	for _, v := range m.set {
		l.part[v] = q
	}
}
