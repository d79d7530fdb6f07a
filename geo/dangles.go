package geo

import "github.com/paulmach/orb"

// Extensions returns, for each free end of a dangle whose tag keep accepts,
// a straight line that carries the dangle on in its last direction to the
// first edge it meets within reach. A railway that dives into a tunnel, or a
// main road that ends inside an estate, then divides the block it ends in,
// and a grid boundary can follow it instead of the feature running through
// a grid. Each extension is tagged with tag: it crosses open ground.
func (a *Arrangement) Extensions(keep func(tag int) bool, reach float64, tag int) []TaggedLine {
	all := make([]TaggedLine, 0, len(a.Edges)+len(a.Dangles))
	degree := map[orb.Point]int{}
	for _, list := range [][]Edge{a.Edges, a.Dangles} {
		for _, e := range list {
			all = append(all, TaggedLine{Line: e.Line, Tag: e.Tag})
			degree[e.Line[0]]++
			degree[e.Line[len(e.Line)-1]]++
		}
	}
	ix := NewSegmentIndex(all)
	var out []TaggedLine
	for _, d := range a.Dangles {
		if !keep(d.Tag) {
			continue
		}
		back := d.Line.Clone()
		back.Reverse()
		for _, ls := range []orb.LineString{d.Line, back} {
			end := ls[len(ls)-1]
			if degree[end] != 1 {
				continue
			}
			dir, ok := heading(ls)
			if !ok {
				continue
			}
			if hit, ok := ix.Cast(end, dir, reach); ok {
				out = append(out, TaggedLine{Line: orb.LineString{end, hit}, Tag: tag})
			}
		}
	}
	return out
}

// headingSpan is how far back from its end a line's heading is taken, so
// that a last short kink does not swing it.
const headingSpan = 10.0 // metres

// heading returns the unit direction in which ls leaves its last point.
func heading(ls orb.LineString) ([2]float64, bool) {
	end := ls[len(ls)-1]
	from := ls[0]
	for j := len(ls) - 2; j >= 0; j-- {
		from = ls[j]
		if dist(from, end) >= headingSpan {
			break
		}
	}
	d := dist(from, end)
	if d == 0 {
		return [2]float64{}, false
	}
	return [2]float64{(end[0] - from[0]) / d, (end[1] - from[1]) / d}, true
}
