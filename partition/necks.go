package partition

import (
	"encoding/binary"
	"maps"
	"math"
	"slices"

	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// mendNecks looks at every grid held together only through a neck (see
// necked): two lumps of homes joined by a sliver beside a road, or across
// a corner. It gives the blocks on one side of the neck (those nearest one
// lump) to a neighbouring grid of the community, where both grids stay in
// the band and in one piece, neither is left with a neck, every edge the
// move makes a boundary is a feature and no main feature comes inside a
// grid; of the moves that do, the one that costs least by roundOff's
// objective (main features at their tree-cut price) is made. The tree cut
// and the annealer cannot see a neck: to them a grid is a set of blocks,
// and a sliver one block wide joins its lumps as well as any street. The
// annealer mends each community so after each of its runs (see
// annealer.community). It returns how many grids it mended. known says
// which grids the annealer found with a neck: most come out of it as they
// are.
func mendNecks(b *Blocks, band Band, part []int, known neckMemo) int {
	all := make([]int, len(b.Blocks))
	for v := range all {
		all[v] = v
	}
	n, _ := mendGrids(geos.NewContext(), newLayout(b, band, part, prices{majorIn: 1}), all, known)
	return n
}

// mendGrids mends the grids of blocks (all of each grid's blocks, in
// order) that have a neck, in the order of their numbers, with the
// layout's prices, and returns how many it mended and by how much that
// changed the layout's objective.
func mendGrids(gctx *geos.Context, l *layout, blocks []int, known neckMemo) (int, float64) {
	members := func() map[int][]int {
		out := map[int][]int{}
		for _, v := range blocks {
			out[l.part[v]] = append(out[l.part[v]], v)
		}
		return out
	}
	grids := members()
	labels := slices.Sorted(maps.Keys(grids))
	mended, change := 0, 0.0
	for _, p := range labels {
		in := grids[p]
		if !l.band.Allows(l.weight[p], l.size[p]) || len(in) < 2 || !known.has(gctx, l.b, in) {
			continue // a grid outside the band stays as it is
		}
		polys, err := l.b.outline(gctx, in)
		if err != nil || len(polys) != 1 {
			continue // in pieces, or no outline: no move of a lump mends it
		}
		m, ok := bestMend(gctx, l, polys[0], in)
		if !ok {
			continue
		}
		l.apply(m)
		change += m.delta
		mended++
		grids = members()
	}
	return mended, change
}

// bestMend returns the cheapest move, at the layout's prices, that takes
// the blocks nearest one lump of the necked grid outline (of blocks, all
// of one grid) into a neighbouring grid inside the band and leaves neither
// grid with a neck. Whatever the layout's prices, every boundary the move
// draws is a feature and it puts no main feature inside a grid.
func bestMend(gctx *geos.Context, l *layout, outline orb.Polygon, blocks []int) (move, bool) {
	var lumps []*geos.Geom
	for _, lump := range geo.Polygons(geo.FromGEOS(geo.ToGEOS(gctx, outline).Buffer(-minContact/2, 4))) {
		if planar.Area(lump) >= neckArea {
			lumps = append(lumps, geo.ToGEOS(gctx, lump))
		}
	}
	if len(lumps) < 2 {
		return move{}, false
	}
	// Each block goes with the lump nearest its centroid: the blocks of the
	// neck itself, which narrowing leaves out, with the lump they lead to.
	sides := make([][]int, len(lumps))
	for _, v := range blocks {
		c, _ := planar.CentroidArea(l.b.Blocks[v].Shape)
		pt := gctx.NewPointFromXY(c[0], c[1])
		near, d := 0, math.Inf(1)
		for k, lump := range lumps {
			if dk := lump.Distance(pt); dk < d {
				near, d = k, dk
			}
		}
		sides[near] = append(sides[near], v)
	}
	p := l.part[blocks[0]]
	var best move
	found := false
	for _, set := range sides {
		if len(set) == 0 || len(set) == len(blocks) || !l.linked(set, nil) || !l.linked(blocks, set) || !l.onFeatures(set, p) {
			continue
		}
		var to []int // the grids beside the set
		for _, v := range set {
			for _, a := range l.arcs[v] {
				if q := l.part[a.to]; q != p && !slices.Contains(to, q) {
					to = append(to, q)
				}
			}
		}
		slices.Sort(to)
		for _, q := range to {
			if !l.band.Allows(l.weight[q], l.size[q]) {
				continue
			}
			m, ok := l.consider(set, q)
			if !ok || m.major || (found && m.delta >= best.delta) || !l.b.unnecked(gctx, l, q, set, nil) || !l.b.unnecked(gctx, l, p, nil, set) {
				continue
			}
			best, found = m, true
		}
	}
	return best, found
}

// onFeatures reports whether every edge between set and the rest of grid p
// is a feature on the ground: what a move of set out of p turns into
// boundary.
func (l *layout) onFeatures(set []int, p int) bool {
	for _, v := range set {
		for _, a := range l.arcs[v] {
			if l.part[a.to] == p && !a.feature && !slices.Contains(set, a.to) {
				return false
			}
		}
	}
	return true
}

// linked reports whether blocks, less those in without, reach one another
// through contacts among themselves.
func (l *layout) linked(blocks, without []int) bool {
	in := map[int]bool{}
	start := -1
	for _, v := range blocks {
		if !slices.Contains(without, v) {
			in[v] = true
			if start < 0 {
				start = v
			}
		}
	}
	if start < 0 {
		return false
	}
	seen := map[int]bool{start: true}
	queue := []int{start}
	for i := 0; i < len(queue); i++ {
		for _, a := range l.arcs[queue[i]] {
			if in[a.to] && !seen[a.to] {
				seen[a.to] = true
				queue = append(queue, a.to)
			}
		}
	}
	return len(seen) == len(in)
}

// unnecked reports whether grid q of the layout, with add and less drop,
// has an outline of one polygon without a neck.
func (b *Blocks) unnecked(gctx *geos.Context, l *layout, q int, add, drop []int) bool {
	var blocks []int
	for v, p := range l.part {
		if p == q && !slices.Contains(drop, v) {
			blocks = append(blocks, v)
		}
	}
	return !b.hasNeck(gctx, append(blocks, add...))
}

// hasNeck reports whether the grid of blocks is held together only through
// a neck. A grid whose outline falls apart, or cannot be drawn, counts as
// one with a neck: the annealer then tries again, or leaves the community
// as the tree cut left it, and no mend leaves such a grid.
func (b *Blocks) hasNeck(gctx *geos.Context, blocks []int) bool {
	polys, err := b.outline(gctx, blocks)
	return err != nil || len(polys) != 1 || necked(gctx, polys[0])
}

// A neckMemo remembers, of grids by their blocks, which have a neck: every
// grid of every community's annealing runs is looked at, most of them
// several times.
type neckMemo map[string]bool

// has is b.hasNeck for the grid of members (blocks in order), remembered.
func (m neckMemo) has(gctx *geos.Context, b *Blocks, members []int) bool {
	var key []byte
	for _, v := range members {
		key = binary.AppendUvarint(key, uint64(v))
	}
	has, ok := m[string(key)]
	if !ok {
		has = b.hasNeck(gctx, members)
		m[string(key)] = has
	}
	return has
}
