package partition

import (
	"cmp"
	"math"
	"slices"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

type weighted struct {
	p orb.Point
	w int
}

// buildingCuts returns, for each face, the lines (of ClassNone) that cut it
// between its buildings into pieces below opt.SplitBelow, where the buildings
// allow: for every face above opt.SplitAbove, and every face that holds a
// point of at (WGS84). The households must be located in faces (HouseholdBlock).
func (b *Blocks) buildingCuts(gctx *geos.Context, faces []orb.Polygon, opt BlockOptions, at []orb.Point) [][]geo.TaggedLine {
	hh := b.faceHouseholds(len(faces))
	forced := map[int]bool{}
	if len(at) > 0 {
		ix := geo.NewPolygonIndex(faces)
		for _, p := range at {
			forced[ix.Locate(b.Proj.Forward(p))] = true
		}
	}
	out := make([][]geo.TaggedLine, len(faces))
	split, single, crowd := 0, 0, 0
	for fi, f := range faces {
		total := 0
		pts := make([]weighted, 0, len(hh[fi]))
		for _, hi := range hh[fi] {
			total += b.Points[hi].Count
			pts = append(pts, weighted{b.Proj.Forward(b.Points[hi].Point), b.Points[hi].Count})
		}
		if total <= opt.SplitAbove && !(forced[fi] && total > opt.SplitBelow) {
			continue
		}
		cuts := bisect(gctx, geo.ToGEOS(gctx, f), pts, opt.SplitBelow)
		if len(cuts) == 0 {
			if total <= opt.Band.Max {
				continue // one heavy building, yet within the band
			}
			single++
			b.noteAt("indivisible", pts[0].p, "a block holds %d households in a single building: it becomes a grid of its own", total)
			continue
		}
		if total <= opt.SplitAbove {
			crowd++
		} else {
			split++
		}
		for _, ls := range cuts {
			out[fi] = append(out[fi], geo.TaggedLine{Line: ls, Tag: int(datasets.ClassNone)})
		}
	}
	if split > 0 {
		b.note("building-cut", "%d blocks above %d households were cut between their buildings", split, opt.SplitAbove)
	}
	if crowd > 0 {
		b.note("building-cut", "the first solve left a grid outside the band: %d of the blocks in or beside it were cut between their buildings, to give it room", crowd)
	}
	return out
}

// bisect cuts a region with straight lines until each piece holds at most
// limit households or a single building. Each cut is across the points'
// principal axis, in the widest gap between buildings among the positions
// that split the households roughly in half, so cuts run between buildings,
// not through them.
func bisect(gctx *geos.Context, region *geos.Geom, pts []weighted, limit int) []orb.LineString {
	total := 0
	for _, p := range pts {
		total += p.w
	}
	if total <= limit || len(pts) < 2 || region.IsEmpty() {
		return nil
	}
	// Weighted principal axis.
	var mx, my, sw float64
	for _, p := range pts {
		w := float64(p.w) + 1
		mx += w * p.p[0]
		my += w * p.p[1]
		sw += w
	}
	mx, my = mx/sw, my/sw
	var sxx, sxy, syy float64
	for _, p := range pts {
		w := float64(p.w) + 1
		dx, dy := p.p[0]-mx, p.p[1]-my
		sxx += w * dx * dx
		sxy += w * dx * dy
		syy += w * dy * dy
	}
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy)
	ax, ay := math.Cos(theta), math.Sin(theta)
	type proj struct {
		t float64
		i int
	}
	ts := make([]proj, len(pts))
	for i, p := range pts {
		ts[i] = proj{(p.p[0]-mx)*ax + (p.p[1]-my)*ay, i}
	}
	slices.SortFunc(ts, func(a, b proj) int { return cmp.Compare(a.t, b.t) })

	best, bestScore := -1, math.Inf(-1)
	cum := 0
	for k := 0; k+1 < len(ts); k++ {
		cum += pts[ts[k].i].w
		gap := ts[k+1].t - ts[k].t
		if gap <= 1e-6 {
			continue
		}
		imbalance := math.Abs(float64(cum)-float64(total)/2) / float64(total)
		// Balanced cuts first (within a quarter of the middle); among them
		// the widest gap.
		score := gap
		if imbalance > 0.25 {
			score = -imbalance * 1e9
		}
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	if best < 0 {
		return nil // every point in one place: one building
	}
	c := (ts[best].t + ts[best+1].t) / 2
	cx, cy := mx+c*ax, my+c*ay
	bb := region.Bounds()
	r := math.Hypot(bb.MaxX-bb.MinX, bb.MaxY-bb.MinY) + 1
	nx, ny := -ay, ax // along the cut
	line := gctx.NewLineString([][]float64{{cx - r*nx, cy - r*ny}, {cx + r*nx, cy + r*ny}})
	var out []orb.LineString
	for _, ls := range geo.Lines(geo.FromGEOS(line.Intersection(region))) {
		out = append(out, overshoot(ls))
	}

	half := func(sign float64) *geos.Geom {
		// A rectangle on one side of the cut, large enough to hold the region.
		ox, oy := sign*ax*2*r, sign*ay*2*r
		return gctx.NewPolygon([][][]float64{{
			{cx - r*nx, cy - r*ny}, {cx + r*nx, cy + r*ny},
			{cx + r*nx + ox, cy + r*ny + oy}, {cx - r*nx + ox, cy - r*ny + oy},
			{cx - r*nx, cy - r*ny},
		}})
	}
	var lo, hi []weighted
	for k, p := range ts {
		if k <= best {
			lo = append(lo, pts[p.i])
		} else {
			hi = append(hi, pts[p.i])
		}
	}
	out = append(out, bisect(gctx, region.Intersection(half(-1)), lo, limit)...)
	out = append(out, bisect(gctx, region.Intersection(half(1)), hi, limit)...)
	return out
}
