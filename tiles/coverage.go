package tiles

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// A coverage is polygons that share their edges vertex for vertex (grids,
// blocks): each ring is a chain of arcs between junctions, and an arc that
// two polygons share is stored once. Simplifying arcs rather than rings
// moves a shared edge the same way for both polygons, so that simplified
// neighbours still meet with no sliver and no overlap.
type coverage struct {
	arcs  []orb.LineString
	rings [][][]arcRef // polygon → ring → arcs in order
}

type arcRef struct {
	arc      int
	reversed bool
}

// newCoverage splits the rings of polys into shared arcs. A vertex is a
// junction where more than two distinct edges meet, or where a ring's
// neighbours around it differ from another ring's.
func newCoverage(polys []orb.Polygon) *coverage {
	neighbours := map[orb.Point]map[orb.Point]bool{}
	for _, p := range polys {
		for _, r := range p {
			for k := 0; k+1 < len(r); k++ {
				a, b := r[k], r[k+1]
				if a == b {
					continue
				}
				for _, e := range [][2]orb.Point{{a, b}, {b, a}} {
					if neighbours[e[0]] == nil {
						neighbours[e[0]] = map[orb.Point]bool{}
					}
					neighbours[e[0]][e[1]] = true
				}
			}
		}
	}
	junction := func(p orb.Point) bool { return len(neighbours[p]) != 2 }

	c := &coverage{rings: make([][][]arcRef, len(polys))}
	index := map[[3]orb.Point]int{} // first, second and last point of an arc, as stored
	add := func(line orb.LineString) arcRef {
		fwd := [3]orb.Point{line[0], line[1], line[len(line)-1]}
		if i, ok := index[fwd]; ok {
			return arcRef{arc: i}
		}
		n := len(line)
		rev := [3]orb.Point{line[n-1], line[n-2], line[0]}
		if i, ok := index[rev]; ok {
			return arcRef{arc: i, reversed: true}
		}
		index[fwd] = len(c.arcs)
		c.arcs = append(c.arcs, line)
		return arcRef{arc: len(c.arcs) - 1}
	}
	for pi, p := range polys {
		c.rings[pi] = make([][]arcRef, len(p))
		for ri, r := range p {
			pts := dedupe(r)
			if len(pts) < 4 {
				continue
			}
			// Start the walk at a junction, if the ring has one.
			open := pts[:len(pts)-1]
			start := -1
			for k, q := range open {
				if junction(q) {
					start = k
					break
				}
			}
			if start < 0 {
				// No junction: the whole ring is one arc, closed, starting at
				// its least point so that a ring met twice is one arc.
				start = 0
				for k, q := range open {
					if less(q, open[start]) {
						start = k
					}
				}
				line := append(append(orb.LineString{}, open[start:]...), open[:start]...)
				line = append(line, open[start])
				c.rings[pi][ri] = []arcRef{add(line)}
				continue
			}
			walk := append(append(orb.LineString{}, open[start:]...), open[:start]...)
			walk = append(walk, open[start])
			var refs []arcRef
			from := 0
			for k := 1; k < len(walk); k++ {
				if junction(walk[k]) || k == len(walk)-1 {
					refs = append(refs, add(append(orb.LineString{}, walk[from:k+1]...)))
					from = k
				}
			}
			c.rings[pi][ri] = refs
		}
	}
	return c
}

// simplified returns the polygons with every arc simplified by Douglas–
// Peucker at tolerance, and those that simplify to nothing dropped (a ring
// too small to draw). A ring that simplification would flatten keeps its
// arcs as they are, in every polygon that shares them.
func (c *coverage) simplified(tolerance float64, snap func(orb.Point) orb.Point) []orb.Polygon {
	dp := simplify.DouglasPeucker(tolerance)
	raw := make([]orb.LineString, len(c.arcs)) // snapped, not simplified
	arcs := make([]orb.LineString, len(c.arcs))
	for i, a := range c.arcs {
		raw[i] = snapLine(a, snap)
		if tolerance > 0 {
			arcs[i] = snapLine(dp.LineString(a.Clone()), snap)
		} else {
			arcs[i] = raw[i]
		}
	}
	for pass := 0; pass < 3; pass++ {
		changed := false
		for _, rings := range c.rings {
			for _, refs := range rings {
				if len(refs) == 0 {
					continue
				}
				if r := assemble(arcs, refs); len(r) < 4 || planar.Area(r) == 0 {
					for _, ref := range refs {
						if len(arcs[ref.arc]) != len(raw[ref.arc]) {
							arcs[ref.arc], changed = raw[ref.arc], true
						}
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	out := make([]orb.Polygon, len(c.rings))
	for pi, rings := range c.rings {
		for ri, refs := range rings {
			if len(refs) == 0 {
				if ri == 0 {
					break // no exterior: nothing to draw
				}
				continue
			}
			r := assemble(arcs, refs)
			if len(r) < 4 {
				if ri == 0 {
					break
				}
				continue
			}
			out[pi] = append(out[pi], r)
		}
	}
	return out
}

// snapLine moves each point of an arc to the grid snap rounds to (when snap
// is set), dropping repeats and spikes rounded flat. Snapping arcs, not
// rings, rounds a shared edge once for both polygons.
func snapLine(l orb.LineString, snap func(orb.Point) orb.Point) orb.LineString {
	if snap == nil {
		return l
	}
	out := make(orb.LineString, 0, len(l))
	for i, p := range l {
		q := snap(p)
		switch {
		case len(out) > 0 && q == out[len(out)-1]:
		case len(out) > 1 && q == out[len(out)-2] && i < len(l)-1:
			out = out[:len(out)-1]
		default:
			out = append(out, q)
		}
	}
	if len(out) == 1 { // an arc shorter than the grid: keep both ends
		out = append(out, out[0])
	}
	return out
}

// assemble chains arcs into a closed ring.
func assemble(arcs []orb.LineString, refs []arcRef) orb.Ring {
	var r orb.Ring
	for _, ref := range refs {
		a := arcs[ref.arc]
		if ref.reversed {
			a = a.Clone()
			a.Reverse()
		}
		if len(r) > 0 {
			a = a[1:] // the junction is already there
		}
		r = append(r, a...)
	}
	return orb.Ring(dedupe(r))
}

// dedupe drops repeated consecutive points.
func dedupe[T ~[]orb.Point](pts T) T {
	out := make(T, 0, len(pts))
	for i, p := range pts {
		if i == 0 || p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

func less(a, b orb.Point) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }
