package datasets

import (
	"context"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Paths names the files of a jurisdiction, as the partition command takes them.
type Paths struct {
	Boundary       string   // GeoJSON (Multi)Polygon
	OSM            string   // .osm.pbf, .osm or .osm.bz2
	DEM            []string // SRTM .hgt or .hgt.zip, GeoTIFFs on longitude and latitude, or glob patterns of them; joined (ReadDEMs)
	Households     string   // GeoJSON points with "households"
	Units          string   // GeoJSON polygons with "households" that are atoms
	HouseholdAreas string   // GeoJSON polygons with "households" spread over buildings
	Communities    string   // GeoJSON polygons
}

// Jurisdiction is everything read for one partition.
type Jurisdiction struct {
	Boundary    Region
	Communities []Region
	OSM         *OSM
	Households  []Households
	Units       []Unit
	// HouseholdSource says where the household counts came from.
	HouseholdSource string
}

// Load reads the files named by p. It needs a boundary, and households from
// one source: points, units, areas spread over OSM buildings, or, with none of
// these, an estimate from OSM buildings.
func Load(ctx context.Context, p Paths) (*Jurisdiction, error) {
	if p.Boundary == "" {
		return nil, errors.New("a boundary is required (--boundary FILE)")
	}
	n := 0
	for _, s := range []string{p.Households, p.Units, p.HouseholdAreas} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("give households from one source: --households, --units or --household-areas")
	}
	if p.OSM == "" && p.Units == "" {
		return nil, errors.New("an OSM extract (--osm FILE) is required unless --units gives the atoms")
	}
	j := &Jurisdiction{}
	var err error
	if j.Boundary, err = ReadArea(p.Boundary); err != nil {
		return nil, fmt.Errorf("boundary: %w", err)
	}
	area := j.Boundary.Shape
	if p.Communities != "" {
		if j.Communities, err = ReadRegions(p.Communities); err != nil {
			return nil, fmt.Errorf("communities: %w", err)
		}
	}
	// Household points and units need nothing of the OSM extract: they are
	// read while it is.
	var points []Households
	var units []Unit
	var hhErr error
	read := make(chan struct{})
	go func() {
		defer close(read)
		switch {
		case p.Households != "":
			points, hhErr = ReadHouseholds(p.Households)
		case p.Units != "":
			units, hhErr = ReadUnits(p.Units)
		}
	}()
	if p.OSM != "" {
		if j.OSM, err = ReadOSM(ctx, p.OSM); err != nil {
			<-read
			return nil, fmt.Errorf("osm: %w", err)
		}
		if err := covers(j.OSM, area); err != nil {
			<-read
			return nil, fmt.Errorf("osm %s: %w", p.OSM, err)
		}
	}
	<-read
	switch {
	case p.Households != "":
		j.HouseholdSource = "points"
		j.Households, err = points, hhErr
	case p.Units != "":
		j.HouseholdSource = "units"
		j.Units, err = units, hhErr
	case p.HouseholdAreas != "":
		j.HouseholdSource = "areas spread over buildings"
		var areas []Unit
		if areas, err = ReadUnits(p.HouseholdAreas); err == nil {
			j.Households = SpreadOverBuildings(areas, j.OSM.Buildings)
		}
	default:
		j.HouseholdSource = "estimated from buildings"
		j.Households = EstimateHouseholds(j.OSM.Buildings)
	}
	if err != nil {
		return nil, fmt.Errorf("households: %w", err)
	}
	return j, nil
}

// covers checks that the extract covers the boundary: the nodes of the ways
// read must reach across nearly all of the boundary's extent.
func covers(o *OSM, area orb.MultiPolygon) error {
	if len(o.Barriers) == 0 {
		return errors.New("the extract has no streets, waterways, railways or ridges")
	}
	bb, ob := area.Bound(), o.Bound
	share := CoveredShare(bb, ob)
	if share < 0.95 {
		return fmt.Errorf("the extract (lon %.4f..%.4f, lat %.4f..%.4f) covers %.0f%% of the boundary's extent (lon %.4f..%.4f, lat %.4f..%.4f): use an extract of the whole jurisdiction",
			ob.Min[0], ob.Max[0], ob.Min[1], ob.Max[1], 100*share, bb.Min[0], bb.Max[0], bb.Min[1], bb.Max[1])
	}
	return nil
}

// CoveredShare returns the share of the box b that the box by covers.
func CoveredShare(b, by orb.Bound) float64 {
	area := func(b orb.Bound) float64 { return (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]) }
	if !b.Intersects(by) || area(b) <= 0 {
		return 0
	}
	in := orb.Bound{
		Min: orb.Point{max(b.Min[0], by.Min[0]), max(b.Min[1], by.Min[1])},
		Max: orb.Point{min(b.Max[0], by.Max[0]), min(b.Max[1], by.Max[1])},
	}
	return area(in) / area(b)
}
