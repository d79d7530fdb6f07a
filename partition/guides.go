package partition

import (
	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
)

// guideTolerance is how near a guide must run to a block edge to name it.
// Census lines are drawn along street centres and river banks, but
// generalised: a line that follows a street wanders a few metres off its
// centre, and the centre of a dual carriageway or a railway lies half a
// corridor away from the blocks on either side.
const guideTolerance = 12.0 // metres

// nameEdges gives each block edge of no feature class (a unit's ring, a
// community line) the class of the features that run along it: the
// strongest class such that at least half the edge lies within
// guideTolerance of features at least that strong. Guides cut nothing, so
// units stay whole; they only tell the partitioner which unit edges are
// streets, rivers or railways on the ground. It returns how many edges it
// named.
func nameEdges(edges []geo.Edge, guides *geo.SegmentIndex) int {
	named := 0
	byClass := make([]float64, datasets.ClassBoundary+1)
	for i := range edges {
		e := &edges[i]
		if datasets.Class(e.Tag).IsFeature() || datasets.Class(e.Tag) == datasets.ClassBoundary {
			continue
		}
		clear(byClass)
		var total float64
		eachMetre(e.Line, func(p orb.Point, step float64) {
			total += step
			if tag, ok := guides.Strongest(p, guideTolerance); ok && datasets.Class(tag).IsFeature() {
				byClass[tag] += step
			}
		})
		var along float64
		for c := datasets.ClassRiver; c >= datasets.ClassPath; c-- {
			along += byClass[c]
			if along >= total/2 {
				e.Tag = int(c)
				named++
				break
			}
		}
	}
	return named
}
