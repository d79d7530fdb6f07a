package datasets

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// Household estimation from OSM buildings, for places with no household data.
//
// The method, in the order the rules are tried:
//   - buildings that are plainly not homes (building=commercial, industrial,
//     retail, office, church, school, garage, shed, hut, roof, barn, …)
//     hold no household;
//   - single homes (house, detached, semidetached_house, bungalow, farm,
//     cabin) hold one;
//   - any other building smaller than MinHomeFootprint holds none (sheds,
//     garages, kiosks mapped as building=yes);
//   - multi-household buildings (apartments, residential, terrace,
//     dormitory, and building=yes, which in towns is mostly flats) hold
//     footprint × levels ÷ FloorAreaPerHousehold, at least one; levels come
//     from building:levels, else DefaultLevels for the kind.
//
// The figures are those of European housing statistics: about 90 m² of gross
// floor area per dwelling, including walls, stairs and common parts.
const (
	FloorAreaPerHousehold = 90.0 // m² of gross floor area
	MinHomeFootprint      = 30.0 // m²
)

var nonResidential = map[string]bool{
	"commercial": true, "industrial": true, "retail": true, "office": true, "warehouse": true,
	"church": true, "chapel": true, "cathedral": true, "mosque": true, "temple": true, "religious": true,
	"school": true, "university": true, "college": true, "kindergarten": true, "hospital": true,
	"public": true, "civic": true, "government": true, "train_station": true, "transportation": true,
	"garage": true, "garages": true, "carport": true, "parking": true, "shed": true, "hut": true,
	"roof": true, "barn": true, "cowshed": true, "stable": true, "farm_auxiliary": true, "greenhouse": true,
	"service": true, "hangar": true, "kiosk": true, "toilets": true, "bunker": true, "ruins": true,
	"hotel": true, "supermarket": true, "sports_hall": true, "stadium": true, "construction": true,
	"static_caravan": true, "tower": true, "bridge": true, "power": true, "water_tower": true,
}

var singleHome = map[string]bool{
	"house": true, "detached": true, "semidetached_house": true, "bungalow": true, "farm": true, "cabin": true,
}

// DefaultLevels is the number of storeys assumed where building:levels is missing.
var DefaultLevels = map[string]float64{"apartments": 4, "residential": 3, "dormitory": 3, "terrace": 2, "yes": 2}

// HouseholdsIn estimates the households of one building.
func HouseholdsIn(b Building) int {
	if nonResidential[b.Kind] {
		return 0
	}
	if singleHome[b.Kind] {
		return 1
	}
	fp := Footprint(b.Ring)
	if fp < MinHomeFootprint {
		return 0
	}
	lv := b.Levels
	if lv <= 0 {
		lv = DefaultLevels[b.Kind]
		if lv == 0 {
			lv = DefaultLevels["yes"]
		}
	}
	return max(1, int(math.Round(fp*lv/FloorAreaPerHousehold)))
}

// Footprint is a building's area in square metres.
func Footprint(r orb.Ring) float64 { return math.Abs(geo.Area(orb.Polygon{r})) }

// EstimateHouseholds places each building's estimated households at its
// centroid; buildings estimated to hold none are left out.
func EstimateHouseholds(bs []Building) []Households {
	var out []Households
	for i, b := range bs {
		if n := HouseholdsIn(b); n > 0 {
			out = append(out, Households{Point: centroid(b.Ring), Count: n, Index: i})
		}
	}
	return out
}

func centroid(r orb.Ring) orb.Point {
	c, a := planar.CentroidArea(orb.Polygon{r})
	if a == 0 {
		return r[0]
	}
	return c
}

// SpreadOverBuildings spreads each area's household count over the
// residential buildings whose centroid lies in it, in proportion to their
// estimated households (footprint × levels), keeping each area's total
// exactly (largest remainders). An area with no building gets one point.
func SpreadOverBuildings(areas []Unit, bs []Building) []Households {
	type cand struct {
		p orb.Point
		w float64
	}
	inArea := make([][]cand, len(areas))
	// Bounds once: an area's Bound walks all its vertices, and each building
	// is tested against every area.
	bounds := make([]orb.Bound, len(areas))
	for ai, a := range areas {
		bounds[ai] = a.Shape.Bound()
	}
	for _, b := range bs {
		w := float64(HouseholdsIn(b))
		if w == 0 {
			continue
		}
		c := centroid(b.Ring)
		for ai, a := range areas {
			if bounds[ai].Contains(c) && planar.MultiPolygonContains(a.Shape, c) {
				inArea[ai] = append(inArea[ai], cand{c, w})
				break
			}
		}
	}
	var out []Households
	for ai, a := range areas {
		if a.Households == 0 {
			continue
		}
		cs := inArea[ai]
		if len(cs) == 0 {
			c, _ := planar.CentroidArea(a.Shape)
			out = append(out, Households{Point: c, Count: a.Households, Index: a.Index})
			continue
		}
		var sw float64
		for _, c := range cs {
			sw += c.w
		}
		shares := make([]int, len(cs))
		rem := make([]float64, len(cs))
		given := 0
		for i, c := range cs {
			x := float64(a.Households) * c.w / sw
			shares[i] = int(x)
			rem[i] = x - float64(shares[i])
			given += shares[i]
		}
		for given < a.Households {
			best := 0
			for i := range rem {
				if rem[i] > rem[best] {
					best = i
				}
			}
			shares[best]++
			rem[best] = -1
			given++
		}
		for i, c := range cs {
			if shares[i] > 0 {
				out = append(out, Households{Point: c.p, Count: shares[i], Index: a.Index})
			}
		}
	}
	return out
}
