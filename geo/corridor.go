package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Collapse turns each corridor of parallel lines into one line, the way a map
// generalises a railway of many tracks or a dual carriageway into one feature.
//
// width gives, for each tag, how far apart two lines of that tag may run and
// still be one corridor (0: lines of that tag are never collapsed). Lines of
// a corridor tag are taken longest first; the parts of a line that run within
// width of a line already kept are dropped, and what is left joins the kept
// lines with a short connector where it leaves them. The thin empty faces
// between tracks and carriageways, and the short crossovers and sidings inside
// them, would otherwise be blocks of their own that some grid must take in,
// with the feature then running through that grid.
//
// Lines of other tags that ended on a dropped part are extended to the kept
// line across the corridor, so that a side street meeting the far carriageway
// still closes its blocks.
func Collapse(lines []TaggedLine, width func(tag int) float64) []TaggedLine {
	byTag := map[int][]int{}
	var out []TaggedLine
	for i, l := range lines {
		if w := width(l.Tag); w > 0 && len(l.Line) >= 2 {
			byTag[l.Tag] = append(byTag[l.Tag], i)
		} else {
			out = append(out, l)
		}
	}
	tags := make([]int, 0, len(byTag))
	for t := range byTag {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	corridors := make([]*corridor, 0, len(tags))
	for _, tag := range tags {
		idx := byTag[tag]
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Compare(planar.Length(lines[b].Line), planar.Length(lines[a].Line))
		})
		c := &corridor{tag: tag, w: width(tag), kept: &SegmentIndex{}, dropped: &SegmentIndex{}}
		for _, i := range idx {
			c.add(lines[i].Line)
		}
		out = append(out, c.links()...)
		out = append(out, c.pieces...)
		corridors = append(corridors, c)
	}
	// Other lines that ended on a dropped part reach across to the kept line.
	n := len(out)
	for _, tl := range out[:n] {
		for _, p := range []orb.Point{tl.Line[0], tl.Line[len(tl.Line)-1]} {
			for _, c := range corridors {
				if c.dropped.Near(p, snapTolerance) && !c.kept.Near(p, snapTolerance) {
					if q, _, ok := c.kept.Nearest(p, 2*c.w, nil); ok {
						out = append(out, TaggedLine{Line: orb.LineString{p, q}, Tag: tl.Tag})
					}
				}
			}
		}
	}
	return out
}

// snapTolerance is how close a line's end must come to another line to meet it.
const snapTolerance = 0.01

// A corridor collects the kept and dropped parts of the lines of one tag.
type corridor struct {
	tag     int
	w       float64
	kept    *SegmentIndex // numbered as pieces
	dropped *SegmentIndex
	pieces  []TaggedLine
	ends    [][2]bool // whether each end of a piece is an end of its line
}

// add keeps the parts of ls that run farther than w from the pieces kept so
// far, each joined to the nearest piece where it leaves the corridor.
func (c *corridor) add(ls orb.LineString) {
	rs := runs(ls, c.w, c.kept)
	for _, r := range rs {
		// A short stretch that leaves the corridor and comes back, such as a
		// track that bows out around a platform, stays inside it.
		if r.covered || (!r.first && !r.last && planar.Length(r.line) < c.w) {
			c.dropped.Add(TaggedLine{Line: r.line, Tag: c.tag})
			continue
		}
		piece := r.line
		if !r.first {
			if q, _, ok := c.kept.Nearest(piece[0], 2*c.w, nil); ok {
				piece = append(orb.LineString{q}, piece...)
			}
		}
		if !r.last {
			if q, _, ok := c.kept.Nearest(piece[len(piece)-1], 2*c.w, nil); ok {
				piece = append(piece, q)
			}
		}
		tl := TaggedLine{Line: piece, Tag: c.tag}
		c.pieces = append(c.pieces, tl)
		c.ends = append(c.ends, [2]bool{r.first, r.last})
		c.kept.Add(tl)
	}
}

// links joins each piece that ended where a dropped line went on (a
// carriageway that gives way to the other one) to the nearest other piece,
// so that the corridor has no break.
func (c *corridor) links() []TaggedLine {
	var out []TaggedLine
	for k, tl := range c.pieces {
		for e, isEnd := range c.ends[k] {
			if !isEnd {
				continue
			}
			p := tl.Line[0]
			if e == 1 {
				p = tl.Line[len(tl.Line)-1]
			}
			other := func(line int) bool { return line == k }
			if _, _, met := c.kept.Nearest(p, snapTolerance, other); met || !c.dropped.Near(p, snapTolerance) {
				continue
			}
			if q, _, ok := c.kept.Nearest(p, 2*c.w, other); ok {
				out = append(out, TaggedLine{Line: orb.LineString{p, q}, Tag: c.tag})
			}
		}
	}
	return out
}

// A run is a stretch of a line that is all inside, or all outside, the
// corridor of the pieces kept so far.
type run struct {
	line        orb.LineString
	covered     bool
	first, last bool // the run starts, or ends, where the line does
}

// runs cuts ls into runs, sampling it every step along its length.
func runs(ls orb.LineString, w float64, kept *SegmentIndex) []run {
	total := planar.Length(ls)
	step := math.Min(2, w/8)
	n := max(1, int(math.Ceil(total/step)))
	var out []run
	start, startCov := 0.0, false
	for k := 0; k <= n; k++ {
		at := total * float64(k) / float64(n)
		cov := kept.Near(pointAt(ls, at), w)
		switch {
		case k == 0:
			startCov = cov
		case cov != startCov:
			out = append(out, run{line: substring(ls, start, at), covered: startCov, first: start == 0})
			start, startCov = at, cov
		}
	}
	out = append(out, run{line: substring(ls, start, total), covered: startCov, first: start == 0, last: true})
	return out
}

// pointAt returns the point at arc length at along ls.
func pointAt(ls orb.LineString, at float64) orb.Point {
	for j := 0; j+1 < len(ls); j++ {
		l := dist(ls[j], ls[j+1])
		if at <= l && l > 0 {
			return interpolate(ls[j], ls[j+1], at/l)
		}
		at -= l
	}
	return ls[len(ls)-1]
}

// substring returns the part of ls between arc lengths from and to.
func substring(ls orb.LineString, from, to float64) orb.LineString {
	out := orb.LineString{pointAt(ls, from)}
	pos := 0.0
	for j := 1; j < len(ls); j++ {
		pos += dist(ls[j-1], ls[j])
		if pos > from && pos < to {
			out = append(out, ls[j])
		}
	}
	if end := pointAt(ls, to); end != out[len(out)-1] || len(out) == 1 {
		out = append(out, end)
	}
	return out
}

func interpolate(a, b orb.Point, t float64) orb.Point {
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}
