package partition

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// Quality holds the figures by which a partition is judged. Each is measured
// on the grids' geometry, not taken from how they were built.
type Quality struct {
	Grids      int `json:"grids"`
	Households int `json:"households"`
	// InBandShare is the share of grids within the band, certified
	// exceptions (see Certified) aside.
	InBand      int     `json:"in_band"`
	Certified   int     `json:"certified_exceptions"`
	InBandShare float64 `json:"in_band_share"`
	MultiPiece  int     `json:"grids_in_several_pieces"`
	// Necked counts the grids that hold together only through a strip or a
	// corner narrower than minContact: their outline, narrowed by half of it
	// on every side, falls apart into lumps of at least neckArea. A grid
	// worker sees such a grid as two.
	Necked int `json:"grids_with_a_neck"`
	// Gap and overlap area over the jurisdiction's area.
	GapShare     float64 `json:"gap_share"`
	OverlapShare float64 `json:"overlap_share"`
	// Household points in exactly one grid (a point on a shared edge is in
	// two outlines; such points are counted apart, and they belong to one grid
	// by their block).
	HouseholdPoints    int     `json:"household_points"`
	HouseholdsOnce     float64 `json:"households_in_exactly_one_grid_share"`
	HouseholdsInNone   int     `json:"household_points_in_no_grid"`
	HouseholdsOnEdge   int     `json:"household_points_on_a_shared_edge"`
	HouseholdsByBlocks float64 `json:"households_assigned_once_share"`
	// InOneCommunity is the share of grids with at least 99% of their area
	// inside their community's polygon; MinCommunityShare the lowest share.
	InOneCommunity    float64 `json:"grids_in_one_community_share"`
	MinCommunityShare float64 `json:"min_grid_area_share_in_community"`
	// BoundaryOnFeature is the share of the length of grid boundaries inside
	// communities that lies within 3 m of a street, waterway, railway or
	// ridge; BoundaryOnFeatureAll counts community lines too.
	BoundaryOnFeature    float64 `json:"internal_boundary_on_feature_share"`
	BoundaryOnFeatureAll float64 `json:"all_internal_boundary_on_feature_share"`
	// MajorThrough is the share of the length of rivers, canals, railways,
	// primary and secondary roads that runs through a grid rather than along
	// its edge (within alongTolerance of it). A railway of many tracks, or a
	// road of two carriageways, counts once, along the line that stands for
	// its corridor (Blocks.Features); MajorThroughPerLine counts every track
	// and carriageway as read.
	MajorThrough        float64 `json:"major_features_through_grids_share"`
	MajorThroughPerLine float64 `json:"major_lines_through_grids_share"`
	// MajorThroughWhy splits MajorThrough by why each metre runs through a
	// grid; its shares add up to MajorThrough.
	MajorThroughWhy ThroughReasons `json:"major_features_through_grids_why"`
	// MajorThroughMost names the grids that most of MajorThrough runs
	// through, most first (at most mostThrough of them): where a planner
	// should look first. A railway terminus's fan can make one grid carry
	// a quarter of the figure.
	MajorThroughMost []GridThrough `json:"major_features_through_grids_most"`
	// MajorBetweenHouseholds is the share of the length of the block edges
	// that major features draw which runs through a grid (by the same 10 m
	// rule) between two blocks that both hold households: what a grid worker
	// must cross to reach the grid's homes. The rest of what runs through
	// grids crosses ground where nobody lives.
	MajorBetweenHouseholds float64 `json:"major_features_between_households_share"`
	PolsbyPopperMedian     float64 `json:"polsby_popper_median"`
	PolsbyPopperMin        float64 `json:"polsby_popper_min"`
}

// ThroughReasons splits the length of major features that runs through grids
// by why, as shares of all major feature length. Main features and community
// lines cut a jurisdiction into pieces: the sets of blocks of one community
// that reach one another without crossing a main feature. A grid that holds
// blocks of two pieces has a main feature running through it.
type ThroughReasons struct {
	// InsideBlock: the feature ends, or runs, inside a single block (a road
	// into an estate, tracks to the buffers of a terminus, or a guide in
	// --units mode); no grid edge can follow it.
	InsideBlock float64 `json:"inside_block"`
	// WithinPiece: the feature parts two blocks of one piece; the ground on
	// its two sides joins round its end.
	WithinPiece float64 `json:"within_piece"`
	// EmptyPiece: the grid holds a piece where nobody lives (a park or
	// railway land between main features), which cannot be a grid alone.
	EmptyPiece float64 `json:"empty_piece"`
	// SmallPiece: the grid holds a piece with fewer households than the
	// band's Min, which cannot be a grid alone.
	SmallPiece float64 `json:"small_piece"`
	// Chosen: both pieces could be grids of their own.
	Chosen float64 `json:"chosen"`
}

// GridThrough is the length of major features that runs through one grid,
// in metres and as a share of all major feature length (a part of
// MajorThrough): the metres that lie on block edges inside the grid, which
// is all but what runs inside single blocks.
type GridThrough struct {
	Code   string  `json:"code"`
	Metres float64 `json:"metres"`
	Share  float64 `json:"share"`
}

// mostThrough is how many grids MajorThroughMost names.
const mostThrough = 10

// featureTolerance is how near a grid boundary must be to a feature to count
// as following it.
const featureTolerance = 3.0 // metres

// Measure computes the quality figures of a result.
//
// The figures fall into groups that read the result but not one another
// (measureShapes, measureHouseholds, measureCommunities, measureBoundaries,
// measureThrough); each writes its own fields of the Quality, so they run
// side by side, each group with its own GEOS context.
func (r *Result) Measure() (Quality, error) {
	var q Quality
	var polys []orb.Polygon // every grid's outline and exclaves
	for _, g := range r.Grids {
		polys = append(polys, g.Shape)
		polys = append(polys, g.Exclave...)
	}
	groups := []func(*geos.Context, *Quality, []orb.Polygon) error{
		r.measureThrough, r.measureShapes, r.measureHouseholds, r.measureCommunities, r.measureBoundaries,
	}
	errs := make([]error, len(groups))
	err := parallel(context.Background(), runtime.GOMAXPROCS(0), len(groups), geos.NewContext, func(gctx *geos.Context, i int) {
		errs[i] = func() (err error) {
			defer geo.Recover(&err)
			return groups[i](gctx, &q, polys)
		}()
	})
	if err := errors.Join(append(errs, err)...); err != nil {
		return q, fmt.Errorf("measure: %w", err)
	}
	return q, nil
}

// measureShapes counts the grids in and out of the band, in pieces and with
// necks, and measures their shapes and how they tile the jurisdiction.
func (r *Result) measureShapes(gctx *geos.Context, q *Quality, polys []orb.Polygon) error {
	q.Grids = len(r.Grids)
	var pp []float64
	for _, g := range r.Grids {
		q.Households += g.Households
		switch {
		case r.Band.Contains(g.Households):
			q.InBand++
		case Certified(g.Exception):
			q.Certified++
		}
		if len(g.Exclave) > 0 {
			q.MultiPiece++
		}
		if necked(gctx, g.Shape) {
			q.Necked++
		}
		if g.Perimeter > 0 {
			pp = append(pp, 4*math.Pi*g.Area/(g.Perimeter*g.Perimeter))
		}
	}
	if n := q.Grids - q.Certified; n > 0 {
		q.InBandShare = float64(q.InBand) / float64(n)
	}
	if len(pp) > 0 {
		slices.Sort(pp)
		q.PolsbyPopperMedian = pp[len(pp)/2]
		q.PolsbyPopperMin = pp[0]
	}
	inBlocks := 0
	for i, h := range r.Blocks.Points {
		if r.Blocks.HouseholdBlock[i] >= 0 {
			inBlocks += h.Count
		}
	}
	if inBlocks > 0 {
		q.HouseholdsByBlocks = float64(q.Households) / float64(inBlocks)
	}

	// Gaps and overlaps, by an independent union of the outlines.
	parts := make([]*geos.Geom, len(polys))
	sum := 0.0
	for i, p := range polys {
		parts[i] = geo.ToGEOS(gctx, p)
		sum += planar.Area(p)
	}
	union := gctx.NewCollection(geos.TypeIDMultiPolygon, parts).UnaryUnion()
	area := geo.ToGEOS(gctx, r.Blocks.Area)
	total := area.Area()
	q.GapShare = area.Difference(union).Area() / total
	q.OverlapShare = math.Max(0, sum-union.Area()) / total
	return nil
}

// measureHouseholds counts the household points in no grid, in one and on
// an edge that two share.
func (r *Result) measureHouseholds(_ *geos.Context, q *Quality, polys []orb.Polygon) error {
	b := r.Blocks
	ix := geo.NewPolygonIndex(polys)
	for i, h := range b.Points {
		if b.HouseholdBlock[i] < 0 {
			continue
		}
		q.HouseholdPoints++
		switch ix.Count(b.Proj.Forward(h.Point)) {
		case 0:
			q.HouseholdsInNone++
		case 1:
		default:
			q.HouseholdsOnEdge++
		}
	}
	if q.HouseholdPoints > 0 {
		q.HouseholdsOnce = float64(q.HouseholdPoints-q.HouseholdsInNone-q.HouseholdsOnEdge) / float64(q.HouseholdPoints)
	}
	return nil
}

// measureCommunities measures how much of each grid lies in its community's
// polygon.
func (r *Result) measureCommunities(gctx *geos.Context, q *Quality, _ []orb.Polygon) error {
	b := r.Blocks
	comm := make([]*geos.Geom, len(b.Communities))
	for i, c := range b.Communities {
		comm[i] = geo.ToGEOS(gctx, c.Shape)
	}
	inOne := 0
	q.MinCommunityShare = 1
	for _, g := range r.Grids {
		shape := geo.ToGEOS(gctx, orb.MultiPolygon(append([]orb.Polygon{g.Shape}, g.Exclave...)))
		share := shape.Intersection(comm[g.Community]).Area() / shape.Area()
		if share >= 0.99 {
			inOne++
		}
		q.MinCommunityShare = math.Min(q.MinCommunityShare, share)
	}
	if len(r.Grids) > 0 {
		q.InOneCommunity = float64(inOne) / float64(len(r.Grids))
	}
	return nil
}

// measureBoundaries measures the grid boundaries against features. A feature
// is a line as read, or the line that stands for a corridor of them (its
// joins cross the corridor's own ground).
func (r *Result) measureBoundaries(_ *geos.Context, q *Quality, _ []orb.Polygon) error {
	b := r.Blocks
	var features []geo.TaggedLine
	for _, l := range slices.Concat(b.Barriers, b.Features) {
		if datasets.Class(l.Tag).IsFeature() {
			features = append(features, l)
		}
	}
	fix := geo.NewSegmentIndex(features)
	var inner, innerOn, all, allOn float64
	for _, e := range b.Edges {
		l := e.Length()
		u, v := e.Faces[0], e.Faces[1]
		if u < 0 || r.BlockGrid[u] == r.BlockGrid[v] {
			continue
		}
		on := onFeature(e.Line, fix)
		all += l
		allOn += on
		if b.Blocks[u].Community == b.Blocks[v].Community {
			inner += l
			innerOn += on
		}
	}
	q.BoundaryOnFeature = ratio(innerOn, inner)
	q.BoundaryOnFeatureAll = ratio(allOn, all)
	return nil
}

// measureThrough measures the major features against the grids: what runs
// through them, why, where, and between whose homes.
func (r *Result) measureThrough(gctx *geos.Context, q *Quality, polys []orb.Polygon) (err error) {
	b := r.Blocks
	outlines := ringIndex(polys)
	why := r.throughReasons()
	if q.MajorThrough, err = r.majorThrough(gctx, outlines, b.Features, why.add); err != nil {
		return err
	}
	q.MajorThroughWhy = why.shares(q.MajorThrough)
	q.MajorThroughMost = why.most(r.Grids, q.MajorThrough)
	q.MajorBetweenHouseholds = r.majorBetweenHouseholds(outlines)
	q.MajorThroughPerLine, err = r.majorThrough(gctx, outlines, b.Barriers, nil)
	return err
}

// neckArea is the least area, in square metres, of a lump that makes a grid
// with a neck: a few houses' worth.
const neckArea = 500.0

// necked reports whether the polygon, narrowed by minContact/2 on every side,
// falls apart into more than one lump of at least neckArea.
func necked(gctx *geos.Context, p orb.Polygon) bool {
	lumps := 0
	for _, l := range geo.Polygons(geo.FromGEOS(geo.ToGEOS(gctx, p).Buffer(-minContact/2, 4))) {
		if planar.Area(l) >= neckArea {
			lumps++
		}
	}
	return lumps > 1
}

// alongTolerance is how near a grid's edge a major feature must run to count
// as running along it: the centre line of a main road lies a carriageway and
// a pavement away from the blocks it bounds, that of a railway a cutting or
// an embankment away.
const alongTolerance = 10.0 // metres

// majorThrough measures, every metre along the major features among lines,
// the share inside the jurisdiction farther than alongTolerance from every
// grid outline (segments of outlines). through, when not nil, is told of
// every such metre.
func (r *Result) majorThrough(gctx *geos.Context, outlines *geo.SegmentIndex, lines []geo.TaggedLine, through func(p orb.Point, step float64)) (float64, error) {
	var major []geo.TaggedLine
	for _, l := range lines {
		if datasets.Class(l.Tag).IsMajor() {
			major = append(major, l)
		}
	}
	inside, err := geo.Clip(context.Background(), gctx, r.Blocks.Area, major)
	if err != nil {
		return 0, err
	}
	var total, far float64
	for _, l := range inside {
		eachMetre(l.Line, func(p orb.Point, step float64) {
			total += step
			if !outlines.Near(p, alongTolerance) {
				far += step
				if through != nil {
					through(p, step)
				}
			}
		})
	}
	if total == 0 {
		return 0, nil // no major feature to run through anything
	}
	return far / total, nil
}

// whyThrough sorts the metres of major features that run through grids by
// the block edge they lie on (see ThroughReasons).
type whyThrough struct {
	edges  *geo.SegmentIndex // major edges inside grids
	reason []throughReason   // of each edge
	grid   []int             // of each edge
	near   float64           // how near a metre must lie to an edge to be on it
	metres [reasons]float64
	inGrid map[int]float64 // metres through each grid, by the edges they lie on
}

// A throughReason is why a metre of a main feature runs through a grid: the
// fields of ThroughReasons, in order.
type throughReason int

const (
	insideBlock throughReason = iota
	withinPiece
	emptyPiece
	smallPiece
	chosen
	reasons // how many there are
)

// onEdge is how near a feature's metre must lie to a block edge to be on it
// where blocks are cut from the features: edges are the features' own noded
// lines, so only rounding parts them.
const onEdge = 0.5 // metres

// throughReasons sorts the major edges inside grids by the pieces they part.
func (r *Result) throughReasons() *whyThrough {
	b := r.Blocks
	// The pieces are the components of the blocks linked across anything
	// but a main feature.
	var links []Link
	for _, c := range b.contacts() {
		if !c.class.IsMajor() {
			links = append(links, Link{U: int32(c.u), V: int32(c.v)})
		}
	}
	piece := make([]int, len(b.Blocks))
	var households []int // of each piece
	for i, comp := range NewGraph(make([]int32, len(b.Blocks)), links).Components() {
		households = append(households, 0)
		for _, v := range comp {
			piece[v] = i
			households[i] += b.Blocks[v].Households
		}
	}
	w := &whyThrough{edges: &geo.SegmentIndex{}, near: onEdge, inGrid: map[int]float64{}}
	if b.Guided {
		w.near = guideTolerance
	}
	for _, e := range b.Edges {
		u, v := e.Faces[0], e.Faces[1]
		if u < 0 || v < 0 || r.BlockGrid[u] != r.BlockGrid[v] || !datasets.Class(e.Tag).IsMajor() {
			continue
		}
		pu, pv := piece[u], piece[v]
		least := min(households[pu], households[pv])
		why := chosen
		switch {
		case pu == pv:
			why = withinPiece
		case least == 0:
			why = emptyPiece
		case least < r.Band.Min:
			why = smallPiece
		}
		w.edges.Add(geo.TaggedLine{Line: e.Line})
		w.reason = append(w.reason, why)
		w.grid = append(w.grid, r.BlockGrid[u])
	}
	return w
}

// add counts a metre at p by the reason of the nearest major edge inside a
// grid, or as inside a block when none is near.
func (w *whyThrough) add(p orb.Point, step float64) {
	if _, e, ok := w.edges.Nearest(p, w.near, nil); ok {
		w.metres[w.reason[e]] += step
		w.inGrid[w.grid[e]] += step
		return
	}
	w.metres[insideBlock] += step
}

// shares turns the metres into shares of all major feature length, given
// the share of it that runs through grids.
func (w *whyThrough) shares(through float64) ThroughReasons {
	far := w.far()
	if far == 0 {
		return ThroughReasons{}
	}
	s := func(why throughReason) float64 { return through * w.metres[why] / far }
	return ThroughReasons{
		InsideBlock: s(insideBlock), WithinPiece: s(withinPiece), EmptyPiece: s(emptyPiece),
		SmallPiece: s(smallPiece), Chosen: s(chosen),
	}
}

// far returns the metres that run through grids, for every reason.
func (w *whyThrough) far() float64 {
	var far float64
	for _, m := range w.metres {
		far += m
	}
	return far
}

// most returns the mostThrough grids with the most metres through them, as
// shares of all major feature length given the share that runs through
// grids (as shares does).
func (w *whyThrough) most(grids []Grid, through float64) []GridThrough {
	far := w.far()
	out := []GridThrough{}
	if far == 0 {
		return out
	}
	for gi, m := range w.inGrid {
		out = append(out, GridThrough{Code: grids[gi].Code, Metres: math.Round(m), Share: through * m / far})
	}
	slices.SortFunc(out, func(a, b GridThrough) int {
		if c := cmp.Compare(b.Share, a.Share); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return out[:min(len(out), mostThrough)]
}

// majorBetweenHouseholds measures, every metre along the block edges of a
// major class, the share that lies inside a grid farther than alongTolerance
// from every grid outline and parts two blocks that both hold households.
func (r *Result) majorBetweenHouseholds(outlines *geo.SegmentIndex) float64 {
	b := r.Blocks
	var total, far float64
	for _, e := range b.Edges {
		u, v := e.Faces[0], e.Faces[1]
		if !datasets.Class(e.Tag).IsMajor() {
			continue
		}
		inside := u >= 0 && v >= 0 && r.BlockGrid[u] == r.BlockGrid[v] &&
			b.Blocks[u].Households > 0 && b.Blocks[v].Households > 0
		eachMetre(e.Line, func(p orb.Point, step float64) {
			total += step
			if inside && !outlines.Near(p, alongTolerance) {
				far += step
			}
		})
	}
	if total == 0 {
		return 0 // no major feature to run through anything
	}
	return far / total
}

// ringIndex indexes the segments of the polygons' rings: grid outlines, or
// a jurisdiction's boundary.
func ringIndex(polys []orb.Polygon) *geo.SegmentIndex {
	var rings []geo.TaggedLine
	for _, p := range polys {
		for _, ring := range p {
			rings = append(rings, geo.TaggedLine{Line: orb.LineString(ring)})
		}
	}
	return geo.NewSegmentIndex(rings)
}

// eachMetre calls fn at the middle of every stretch of about a metre along ls,
// with the stretch's length.
func eachMetre(ls orb.LineString, fn func(p orb.Point, step float64)) {
	for j := 0; j+1 < len(ls); j++ {
		a, c := ls[j], ls[j+1]
		l := math.Hypot(c[0]-a[0], c[1]-a[1])
		n := max(1, int(math.Ceil(l)))
		for k := range n {
			t := (float64(k) + 0.5) / float64(n)
			fn(orb.Point{a[0] + t*(c[0]-a[0]), a[1] + t*(c[1]-a[1])}, l/float64(n))
		}
	}
}

// onFeature returns the length of ls within featureTolerance of a feature.
func onFeature(ls orb.LineString, ix *geo.SegmentIndex) float64 {
	var on float64
	eachMetre(ls, func(p orb.Point, step float64) {
		if ix.Near(p, featureTolerance) {
			on += step
		}
	})
	return on
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 1
	}
	return a / b
}
