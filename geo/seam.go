package geo

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// Snap-rounding noding is most of the work of an arrangement, and GEOS does
// it on one core. Lines either side of a vertical seam that no vertex comes
// near meet only where they cross it, so the two halves can be noded each on
// its own core: every line that crosses the seam is split at the crossing,
// both halves are given the very same crossing point (so both round it onto
// the same grid node), and the two pieces are joined again afterwards. The
// result is the noding of the whole, line for line (Camden's and Andorra's
// blocks come out byte-identical), but for one case: two lines that cross
// the seam within a grid cell of each other meet there at a node, as snap
// rounding makes lines that near meet anywhere else.

// seamClearance is how far every input vertex must lie from the seam. Snap
// rounding moves a segment by at most half a grid cell, so nothing of one
// half comes within reach of the other half but the crossings themselves.
const seamClearance = 1000 * GridSize

// minSeamSegments is the least count of segments worth noding in halves:
// below it the goroutine and the copying cost more than they save.
const minSeamSegments = 20000

// seamAt returns a vertical line x = seam that parts the lines about evenly
// and that no vertex comes within seamClearance of. Lines are counted by the
// middle of their bounds, each once: the work of noding follows the lines
// and their crossings more than their vertices (on Camden, halves of even
// segment counts took 0.24 and 0.38 s, of even line counts 0.28 and 0.31 s).
func seamAt(lines []TaggedLine) (float64, bool) {
	var xs, mids []float64
	for _, tl := range lines {
		for _, p := range tl.Line {
			xs = append(xs, p[0])
		}
		b := tl.Line.Bound()
		mids = append(mids, (b.Min[0]+b.Max[0])/2)
	}
	if len(xs)-len(lines) < minSeamSegments {
		return 0, false
	}
	slices.Sort(xs)
	slices.Sort(mids)
	median := mids[len(mids)/2]
	i, _ := slices.BinarySearch(xs, median)
	// Look outwards from the median for a gap wide enough.
	for d := 0; d < len(xs); d++ {
		for _, j := range []int{i + d, i - d - 1} {
			if j < 0 || j+1 >= len(xs) {
				continue
			}
			if xs[j+1]-xs[j] > 2*seamClearance {
				return (xs[j] + xs[j+1]) / 2, true
			}
		}
	}
	return 0, false
}

// splitAt splits every line at the seam x = seam into the parts west and
// east of it; a part ends at the crossing, computed once for both sides.
func splitAt(lines []TaggedLine, seam float64) (west, east []TaggedLine) {
	for _, tl := range lines {
		ls := tl.Line
		part := orb.LineString{ls[0]}
		side := ls[0][0] < seam
		for j := 1; j < len(ls); j++ {
			a, b := ls[j-1], ls[j]
			if (b[0] < seam) != side {
				x := crossing(a, b, seam)
				part = append(part, x)
				if side {
					west = append(west, TaggedLine{Line: part, Tag: tl.Tag})
				} else {
					east = append(east, TaggedLine{Line: part, Tag: tl.Tag})
				}
				part, side = orb.LineString{x}, !side
			}
			part = append(part, b)
		}
		if side {
			west = append(west, TaggedLine{Line: part, Tag: tl.Tag})
		} else {
			east = append(east, TaggedLine{Line: part, Tag: tl.Tag})
		}
	}
	return west, east
}

// crossing returns where segment ab crosses the seam, computed from its
// western end whichever way it runs: the same segment in two lines (units
// that share an edge) must cross at the very same point, or the halves would
// each keep a node there that the whole does not have.
func crossing(a, b orb.Point, seam float64) orb.Point {
	if b[0] < a[0] {
		a, b = b, a
	}
	t := (seam - a[0]) / (b[0] - a[0])
	return orb.Point{seam, a[1] + t*(b[1]-a[1])}
}

// snapRound nodes lines by snap rounding on the GridSize grid, in a GEOS
// context of its own, and returns the noded lines.
func snapRound(lines []TaggedLine) (_ []orb.LineString, err error) {
	defer Recover(&err)
	gctx := geos.NewContext()
	parts := make([]*geos.Geom, len(lines))
	for i, tl := range lines {
		parts[i] = gctx.NewLineString(coords(tl.Line))
	}
	noded := gctx.NewCollection(geos.TypeIDMultiLineString, parts).UnaryUnionPrec(GridSize)
	if noded == nil {
		return nil, errors.New("noding produced nothing")
	}
	out := make([]orb.LineString, 0, noded.NumGeometries())
	for i := range noded.NumGeometries() {
		if ls := orb.LineString(points(noded.Geometry(i).CoordSeq().ToCoords())); len(ls) >= 2 {
			out = append(out, ls)
		}
	}
	return out, nil
}

// nodeInHalves nodes lines as snapRound does, the two sides of a seam on two
// goroutines. It reports false when there is one core, or no seam can be
// drawn (too few segments, or no clear gap between vertices).
func nodeInHalves(ctx context.Context, lines []TaggedLine) ([]orb.LineString, bool, error) {
	if runtime.GOMAXPROCS(0) < 2 {
		return nil, false, nil
	}
	seam, ok := seamAt(lines)
	if !ok {
		return nil, false, nil
	}
	noded, err := nodeAcross(ctx, lines, seam)
	return noded, err == nil, err
}

// nodeAcross nodes the lines either side of the seam x = seam, each side on a
// goroutine of its own, and joins what crossed it.
func nodeAcross(ctx context.Context, lines []TaggedLine, seam float64) ([]orb.LineString, error) {
	west, east := splitAt(lines, seam)
	var wg sync.WaitGroup
	var noded [2][]orb.LineString
	var errs [2]error
	for i, half := range [][]TaggedLine{west, east} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			noded[i], errs[i] = snapRound(half)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return joinAtSeam(noded[0], noded[1], seam), nil
}

// joinAtSeam joins each western line that ends on the seam to the eastern
// line that ends at the same node, where those two are all that meet there:
// the two halves of a line that crossed it. The crossing, which the whole
// linework noded at once would not have as a vertex, is dropped. Where more
// lines meet, the node is a real one and stays.
func joinAtSeam(west, east []orb.LineString, seam float64) []orb.LineString {
	lines := slices.Concat(west, east)
	type end struct{ line, at int } // at: 0 the first vertex, 1 the last
	ends := map[orb.Point][]end{}
	onSeam := func(p orb.Point) bool { return math.Abs(p[0]-seam) <= GridSize }
	for i, ls := range lines {
		for at, p := range []orb.Point{ls[0], ls[len(ls)-1]} {
			if onSeam(p) {
				ends[p] = append(ends[p], end{i, at})
			}
		}
	}
	// next[i][at] is the line joined at that end of line i, and its end there.
	type link struct {
		ok bool
		to end
	}
	next := make([][2]link, len(lines))
	for _, es := range ends {
		if len(es) != 2 || es[0].line == es[1].line || (es[0].line < len(west)) == (es[1].line < len(west)) {
			continue
		}
		next[es[0].line][es[0].at] = link{true, es[1]}
		next[es[1].line][es[1].at] = link{true, es[0]}
	}
	done := make([]bool, len(lines))
	var out []orb.LineString
	walk := func(start, from int) {
		// Walk from line start, entering at its end `from`, along the links
		// out of the other end.
		var chain orb.LineString
		i, in := start, from
		for {
			done[i] = true
			ls := lines[i]
			if in == 1 {
				ls = slices.Clone(ls)
				ls.Reverse()
			}
			if len(chain) > 0 {
				ls = ls[1:] // the crossing, already the chain's last vertex
				chain = chain[:len(chain)-1]
			}
			chain = append(chain, ls...)
			l := next[i][1-in]
			if !l.ok || done[l.to.line] {
				break
			}
			i, in = l.to.line, l.to.at
		}
		out = append(out, chain)
	}
	// Chains first from their free ends, then what is left: rings that cross
	// the seam, opened at one of their crossings.
	for i := range lines {
		if done[i] {
			continue
		}
		switch {
		case !next[i][0].ok:
			walk(i, 0)
		case !next[i][1].ok:
			walk(i, 1)
		}
	}
	for i := range lines {
		if !done[i] {
			walk(i, 0)
		}
	}
	return out
}
