package partition

import "github.com/gridline/gridline/datasets"

// Costs per metre of shared edge between two blocks: Cut when the edge becomes
// a grid boundary, In when it ends up inside a grid. A river, railway or ridge
// is cheap to follow and dear to straddle; open ground (a cut between
// buildings) is dear to follow. Streets are cheap to follow, so a grid's
// boundary runs along the strongest features at hand and is short, which keeps
// grids compact.
//
// The major features (rivers, railways, primary and secondary roads) are
// equally dear to straddle: a metre of any of them inside a grid is a metre a
// grid worker must cross, and a metre the through measure counts. Which of
// them a boundary should follow first is still ranked, by Cut. On Camden
// (seeds 1–5, 8 trees), straddling secondary and primary roads at 3 and 5
// rather than 10 left 23.0 % of major feature length inside grids rather than
// 21.5 %, for a Polsby–Popper median of 0.475 rather than 0.471.
type classCost struct{ Cut, In float64 }

var costs = map[datasets.Class]classCost{
	datasets.ClassNone:      {Cut: 4, In: 0},
	datasets.ClassCommunity: {Cut: 4, In: 0},
	datasets.ClassPath:      {Cut: 1, In: 0},
	datasets.ClassStream:    {Cut: 0.8, In: 0.3},
	datasets.ClassStreet:    {Cut: 0.7, In: 0},
	datasets.ClassTertiary:  {Cut: 0.5, In: 1},
	datasets.ClassSecondary: {Cut: 0.35, In: 10},
	datasets.ClassPrimary:   {Cut: 0.25, In: 10},
	datasets.ClassRailway:   {Cut: 0.1, In: 10},
	datasets.ClassRidge:     {Cut: 0.1, In: 3},
	datasets.ClassRiver:     {Cut: 0.05, In: 10},
}

// costOf returns the costs of an edge of class c and the given length.
func costOf(c datasets.Class, length float64) (cut, in float64) {
	cc, ok := costs[c]
	if !ok {
		cc = costs[datasets.ClassNone]
	}
	return cc.Cut * length, cc.In * length
}

// bandPenalty is the cost of one household outside the band: far above any
// boundary cost, so that the band always comes first.
const bandPenalty = 1e7

// corridorWidth is how far apart the parallel lines of one feature may run:
// the tracks of a railway, the carriageways of a main road, the banks of a
// river. Such lines are one barrier (see geo.Collapse). Side streets and paths
// are never collapsed: two of them 20 m apart bound a real row of houses.
func corridorWidth(tag int) float64 {
	switch datasets.Class(tag) {
	case datasets.ClassRailway, datasets.ClassRiver:
		return 30
	case datasets.ClassPrimary, datasets.ClassSecondary:
		return 20
	}
	return 0
}
