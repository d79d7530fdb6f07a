package partition

import (
	"math"
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
	// primary and secondary roads that runs through a grid, not along its edge.
	MajorThrough       float64 `json:"major_features_through_grids_share"`
	PolsbyPopperMedian float64 `json:"polsby_popper_median"`
	PolsbyPopperMin    float64 `json:"polsby_popper_min"`
}

// featureTolerance is how near a grid boundary must be to a feature to count
// as following it.
const featureTolerance = 3.0 // metres

// Measure computes the quality figures of a result.
func (r *Result) Measure() (q Quality, err error) {
	defer geo.Recover(&err)
	b := r.Blocks
	q.Grids = len(r.Grids)
	gctx := geos.NewContext()

	var polys []orb.Polygon
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
		polys = append(polys, g.Shape)
		polys = append(polys, g.Exclave...)
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

	// Gaps and overlaps, by an independent union of the outlines.
	parts := make([]*geos.Geom, len(polys))
	sum := 0.0
	for i, p := range polys {
		parts[i] = geo.ToGEOS(gctx, p)
		sum += planar.Area(p)
	}
	union := gctx.NewCollection(geos.TypeIDMultiPolygon, parts).UnaryUnion()
	area := geo.ToGEOS(gctx, b.Area)
	total := area.Area()
	q.GapShare = area.Difference(union).Area() / total
	q.OverlapShare = math.Max(0, sum-union.Area()) / total

	// Households against the outlines.
	ix := geo.NewPolygonIndex(polys)
	inBlocks := 0
	for i, h := range b.Points {
		if b.HouseholdBlock[i] < 0 {
			continue
		}
		q.HouseholdPoints++
		inBlocks += h.Count
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
	if inBlocks > 0 {
		q.HouseholdsByBlocks = float64(q.Households) / float64(inBlocks)
	}

	// Grids against their community's polygon.
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
	if q.Grids > 0 {
		q.InOneCommunity = float64(inOne) / float64(q.Grids)
	}

	// Grid boundaries against features, and major features against grids.
	var features []geo.TaggedLine
	for _, l := range b.Barriers {
		if datasets.Class(l.Tag).IsFeature() {
			features = append(features, l)
		}
	}
	fix := geo.NewSegmentIndex(features)
	var inner, innerOn, all, allOn, major, through float64
	for _, e := range b.Edges {
		c := datasets.Class(e.Tag)
		l := e.Length()
		u, v := e.Faces[0], e.Faces[1]
		if c.IsMajor() {
			major += l
			if u >= 0 && r.BlockGrid[u] == r.BlockGrid[v] {
				through += l
			}
		}
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
	for _, d := range b.Dangles {
		if datasets.Class(d.Tag).IsMajor() {
			l := d.Length()
			major += l
			through += l
		}
	}
	q.BoundaryOnFeature = ratio(innerOn, inner)
	q.BoundaryOnFeatureAll = ratio(allOn, all)
	q.MajorThrough = ratio(through, major)
	return q, nil
}

// onFeature returns the length of ls within featureTolerance of a feature,
// sampled every metre.
func onFeature(ls orb.LineString, ix *geo.SegmentIndex) float64 {
	var on float64
	for j := 0; j+1 < len(ls); j++ {
		a, c := ls[j], ls[j+1]
		l := math.Hypot(c[0]-a[0], c[1]-a[1])
		n := max(1, int(math.Ceil(l)))
		for k := range n {
			t := (float64(k) + 0.5) / float64(n)
			if ix.Near(orb.Point{a[0] + t*(c[0]-a[0]), a[1] + t*(c[1]-a[1])}, featureTolerance) {
				on += l / float64(n)
			}
		}
	}
	return on
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 1
	}
	return a / b
}
