// Package terrain derives barriers from elevation: the drainage divides
// (ridges) between the basins of streams, which is where rural grids end when
// no street does.
package terrain

import (
	"container/heap"
	"context"
	"math"
	"slices"

	"github.com/gridline/gridline/datasets"
	"github.com/paulmach/orb"
)

// Options tune Divides. Sizes are counted in cells of 3″ (SRTM3's, about
// 90 m) whatever the DEM's own: a DEM of 1″ counts 3 of its cells for each
// across, and 9 in an area, so that the same terrain gives the same divides
// at any resolution.
type Options struct {
	// StreamCells is the catchment at which a stream begins; the basins of
	// stream segments are what divides separate. About 3 km² by default:
	// village-sized valleys.
	StreamCells int
	// MinLength drops divides shorter than this.
	MinLength int
	// MinRelief is how far, in metres, a divide must stand above the streams
	// on both sides of it: 20 by default. Undulations of a plain part tiny
	// basins too; their divides are no ridges that anyone sees, and in a
	// town they would cut through blocks that streets should bound.
	MinRelief float64
}

// srtm3 is the spacing, in degrees, that Options count in.
const srtm3 = 1.0 / 1200

// topRadius is the radius, in 3″ cells, of the ground around a cell that it
// must stand above to be on a ridge.
const topRadius = 5

// Divides returns the drainage divides inside bound (WGS84) as lines through
// the midpoints of the edges between cells that drain to different stream
// segments (see cutCorners), leaving out edges that touch a stream (the
// valley floor at a confluence is no ridge) and edges less than MinRelief
// above the streams (a plain's). Depressions are filled first (priority
// flood), so every cell drains somewhere.
func Divides(ctx context.Context, d *datasets.DEM, bound orb.Bound, opt Options) ([]orb.LineString, error) {
	if opt.StreamCells <= 0 {
		opt.StreamCells = 500
	}
	if opt.MinRelief <= 0 {
		opt.MinRelief = 20
	}
	// Scale the sizes from 3″ cells to the DEM's.
	across := math.Sqrt(srtm3 / d.DX * srtm3 / d.DY)
	streamCells := int(math.Round(float64(opt.StreamCells) * across * across))
	minLength := int(math.Round(float64(opt.MinLength) * across))
	radius := max(1, int(math.Round(topRadius*across)))
	// Crop to bound, with a margin of a few cells.
	r0, r1, c0, c1 := d.Window(bound, 3)
	w, h := c1-c0+1, r1-r0+1
	if w < 3 || h < 3 {
		return nil, nil
	}
	z := make([]float64, w*h)
	for r := range h {
		for c := range w {
			z[r*w+c] = float64(d.At(r0+r, c0+c)) // NaN where void
		}
	}
	fillVoids(z, w, h)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	priorityFlood(z, w, h)

	// D8 flow directions and accumulation.
	down := make([]int32, w*h)
	for i := range down {
		down[i] = -1
		r, c := i/w, i%w
		best := 0.0
		for k := range 8 {
			rr, cc := r+dr[k], c+dc[k]
			if rr < 0 || rr >= h || cc < 0 || cc >= w {
				continue
			}
			j := rr*w + cc
			if s := (z[i] - z[j]) / dd[k]; s > best {
				best, down[i] = s, int32(j)
			}
		}
	}
	order := make([]int32, w*h)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		switch {
		case z[a] > z[b]:
			return -1
		case z[a] < z[b]:
			return 1
		}
		return int(a - b)
	}) // upstream first
	acc := make([]int32, w*h)
	for _, i := range order {
		acc[i]++
		if j := down[i]; j >= 0 {
			acc[j] += acc[i]
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	// Stream segments: a stream cell continues the segment of its one
	// upstream stream cell, and starts a new one at a source or confluence.
	stream := func(i int32) bool { return acc[i] >= int32(streamCells) }
	label := make([]int32, w*h)
	ups := make([]int32, w*h)
	upLabel := make([]int32, w*h)
	next := int32(1)
	for _, i := range order {
		if !stream(i) {
			continue
		}
		if ups[i] == 1 {
			label[i] = upLabel[i]
		} else {
			label[i] = next
			next++
		}
		if j := down[i]; j >= 0 && stream(j) {
			ups[j]++
			upLabel[j] = label[i]
		}
	}
	// Every other cell takes the label of the stream it drains to (downstream
	// first), or of the outlet where it leaves the window, and the height at
	// which its water reaches that stream or outlet.
	reach := make([]float64, w*h)
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		if stream(i) {
			reach[i] = z[i]
			continue
		}
		if j := down[i]; j >= 0 {
			label[i], reach[i] = label[j], reach[j]
		} else {
			label[i], reach[i] = -(i + 1), z[i]
		}
	}

	// Divide edges between 4-neighbours of different labels, away from streams.
	lon := func(c int) float64 { return d.West + float64(c0+c)*d.DX }
	lat := func(r int) float64 { return d.North - float64(r0+r)*d.DY }
	// A divide that crosses a valley floor (sub-basins meeting just below a
	// confluence) is no ridge: keep edges whose two cells both stand above
	// the mean of the ground around them (topographic position, within
	// topRadius), and MinRelief above where the water on either side meets
	// its stream.
	high := convex(z, w, h, radius)
	var segs []orb.LineString
	near := func(i int) bool { return stream(int32(i)) || !high[i] }
	rises := func(i, j int) bool { return min(z[i], z[j])-max(reach[i], reach[j]) >= opt.MinRelief }
	for r := range h {
		for c := range w {
			i := r*w + c
			if c+1 < w && label[i] != label[i+1] && !near(i) && !near(i+1) && rises(i, i+1) {
				x := (lon(c) + lon(c+1)) / 2
				segs = append(segs, orb.LineString{{x, lat(r) + d.DY/2}, {x, lat(r) - d.DY/2}})
			}
			if r+1 < h && label[i] != label[i+w] && !near(i) && !near(i+w) && rises(i, i+w) {
				y := (lat(r) + lat(r+1)) / 2
				segs = append(segs, orb.LineString{{lon(c) - d.DX/2, y}, {lon(c) + d.DX/2, y}})
			}
		}
	}
	lines := chain(segs, minLength)
	for i, l := range lines {
		lines[i] = cutCorners(l)
	}
	return lines, nil
}

// cutCorners turns a staircase of cell edges into the line through their
// midpoints, which runs the way the ridge does rather than north, east,
// north, east: a ridge at 45° is a straight line, not steps of 90 m, and its
// length is the ridge's rather than up to √2 times it. No corner moves more
// than 0.35 of a cell (half an edge times sin 45°), well within where a DEM
// places a ridge. The ends of an open line stay where they are, so that
// divides that meet at a junction still meet; a closed loop has no end to
// keep.
func cutCorners(l orb.LineString) orb.LineString {
	n := len(l) - 1 // segments
	if n < 2 {
		return l
	}
	mid := func(i int) orb.Point { return orb.Point{(l[i][0] + l[i+1][0]) / 2, (l[i][1] + l[i+1][1]) / 2} }
	closed := l[0] == l[n]
	out := make(orb.LineString, 0, n+2)
	if !closed {
		out = append(out, l[0])
	}
	for i := range n {
		out = append(out, mid(i))
	}
	if closed {
		return append(out, out[0])
	}
	return append(out, l[n])
}

// convex reports, for every cell, whether it stands above the mean elevation
// of the (2r+1)² window around it (a summed-area table makes it O(cells)).
func convex(z []float64, w, h, r int) []bool {
	sat := make([]float64, (w+1)*(h+1))
	for y := range h {
		for x := range w {
			sat[(y+1)*(w+1)+x+1] = z[y*w+x] + sat[y*(w+1)+x+1] + sat[(y+1)*(w+1)+x] - sat[y*(w+1)+x]
		}
	}
	out := make([]bool, w*h)
	for y := range h {
		for x := range w {
			x0, x1 := max(0, x-r), min(w, x+r+1)
			y0, y1 := max(0, y-r), min(h, y+r+1)
			sum := sat[y1*(w+1)+x1] - sat[y0*(w+1)+x1] - sat[y1*(w+1)+x0] + sat[y0*(w+1)+x0]
			out[y*w+x] = z[y*w+x] > sum/float64((x1-x0)*(y1-y0))
		}
	}
	return out
}

var (
	dr = [8]int{-1, -1, -1, 0, 0, 1, 1, 1}
	dc = [8]int{-1, 0, 1, -1, 1, -1, 0, 1}
	dd = [8]float64{math.Sqrt2, 1, math.Sqrt2, 1, 1, math.Sqrt2, 1, math.Sqrt2}
)

// fillVoids gives each void the mean of its known neighbours, repeatedly.
func fillVoids(z []float64, w, h int) {
	for pass := 0; pass < 50; pass++ {
		left := 0
		for i, v := range z {
			if !math.IsNaN(v) {
				continue
			}
			r, c := i/w, i%w
			s, n := 0.0, 0
			for k := range 8 {
				rr, cc := r+dr[k], c+dc[k]
				if rr >= 0 && rr < h && cc >= 0 && cc < w && !math.IsNaN(z[rr*w+cc]) {
					s += z[rr*w+cc]
					n++
				}
			}
			if n > 0 {
				z[i] = s / float64(n)
			} else {
				left++
			}
		}
		if left == 0 {
			return
		}
	}
	for i := range z {
		if math.IsNaN(z[i]) {
			z[i] = 0
		}
	}
}

// priorityFlood fills depressions so that every cell has a path down to the
// window's edge, raising flats by a hair so that they drain (Barnes et al.
// 2014, with epsilon).
func priorityFlood(z []float64, w, h int) {
	seen := make([]bool, w*h)
	q := &cellHeap{}
	for i := range z {
		r, c := i/w, i%w
		if r == 0 || c == 0 || r == h-1 || c == w-1 {
			heap.Push(q, cell{z[i], int32(i)})
			seen[i] = true
		}
	}
	for q.Len() > 0 {
		x := heap.Pop(q).(cell)
		r, c := int(x.i)/w, int(x.i)%w
		for k := range 8 {
			rr, cc := r+dr[k], c+dc[k]
			if rr < 0 || rr >= h || cc < 0 || cc >= w {
				continue
			}
			j := rr*w + cc
			if seen[j] {
				continue
			}
			seen[j] = true
			if z[j] <= x.z {
				z[j] = x.z + 1e-3
			}
			heap.Push(q, cell{z[j], int32(j)})
		}
	}
}

type cell struct {
	z float64
	i int32
}

type cellHeap []cell

func (h cellHeap) Len() int { return len(h) }
func (h cellHeap) Less(a, b int) bool {
	if h[a].z != h[b].z {
		return h[a].z < h[b].z
	}
	return h[a].i < h[b].i
}
func (h cellHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *cellHeap) Push(x any)   { *h = append(*h, x.(cell)) }
func (h *cellHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// chain joins unit segments that meet end to end into lines (walking from
// each end point of degree other than two), dropping lines of fewer than
// minLen segments.
func chain(segs []orb.LineString, minLen int) []orb.LineString {
	type key [2]int64
	k := func(p orb.Point) key { return key{int64(math.Round(p[0] * 1e8)), int64(math.Round(p[1] * 1e8))} }
	adj := map[key][]int{}
	for i, s := range segs {
		adj[k(s[0])] = append(adj[k(s[0])], i)
		adj[k(s[1])] = append(adj[k(s[1])], i)
	}
	used := make([]bool, len(segs))
	var out []orb.LineString
	walk := func(start orb.Point, first int) orb.LineString {
		line := orb.LineString{start}
		p, si := start, first
		for si >= 0 && !used[si] {
			used[si] = true
			s := segs[si]
			q := s[1]
			if k(s[1]) == k(p) {
				q = s[0]
			}
			line = append(line, q)
			p, si = q, -1
			if nb := adj[k(p)]; len(nb) == 2 {
				for _, n := range nb {
					if !used[n] {
						si = n
					}
				}
			}
		}
		return line
	}
	var starts []orb.Point
	for _, s := range segs {
		for _, p := range s {
			if len(adj[k(p)]) != 2 {
				starts = append(starts, p)
			}
		}
	}
	for _, p := range starts {
		for _, si := range adj[k(p)] {
			if !used[si] {
				if l := walk(p, si); len(l)-1 >= minLen {
					out = append(out, l)
				}
			}
		}
	}
	for i := range segs { // closed loops
		if !used[i] {
			if l := walk(segs[i][0], i); len(l)-1 >= minLen {
				out = append(out, l)
			}
		}
	}
	return out
}
