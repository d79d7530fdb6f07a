package datasets

import (
	"bufio"
	"compress/bzip2"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// A Barrier is an OSM line that divides the ground.
type Barrier struct {
	Class Class
	Line  orb.LineString
	ID    int64 // OSM way id
}

// A Building is a closed OSM building way.
type Building struct {
	Ring   orb.Ring
	Kind   string // the building=* value
	Levels float64
	ID     int64
}

// OSM is what gridline takes from an OpenStreetMap extract.
type OSM struct {
	Barriers  []Barrier
	Buildings []Building
	Bound     orb.Bound // of the nodes that ways use
	Nodes     int
	Ways      int
}

// ReadOSM reads an extract: .osm.pbf, .osm or .osm.bz2.
func ReadOSM(ctx context.Context, path string) (*OSM, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sc interface {
		Scan() bool
		Object() osm.Object
		Err() error
		Close() error
	}
	switch {
	case strings.HasSuffix(path, ".pbf"):
		sc = osmpbf.New(ctx, f, 2)
	case strings.HasSuffix(path, ".bz2"):
		sc = osmxml.New(ctx, bzip2.NewReader(bufio.NewReaderSize(f, 1<<20)))
	case strings.HasSuffix(path, ".osm"), strings.HasSuffix(path, ".xml"):
		sc = osmxml.New(ctx, bufio.NewReaderSize(f, 1<<20))
	default:
		return nil, fmt.Errorf("%s: unknown OSM format: expected .osm.pbf, .osm or .osm.bz2", path)
	}
	defer sc.Close()
	out, err := scanOSM(sc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// DecodeOSMXML reads OSM XML from r (used by fuzz tests and uploads).
func DecodeOSMXML(ctx context.Context, r io.Reader) (*OSM, error) {
	sc := osmxml.New(ctx, r)
	defer sc.Close()
	return scanOSM(sc)
}

func scanOSM(sc interface {
	Scan() bool
	Object() osm.Object
	Err() error
}) (*OSM, error) {
	nodes := make(map[osm.NodeID]orb.Point, 1<<16)
	out := &OSM{Bound: orb.Bound{Min: orb.Point{180, 90}, Max: orb.Point{-180, -90}}}
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			nodes[o.ID] = orb.Point{o.Lon, o.Lat}
			out.Nodes++
		case *osm.Way:
			out.Ways++
			class, building := classify(o.Tags)
			if class == 0 && !building {
				continue
			}
			line := make(orb.LineString, 0, len(o.Nodes))
			for _, wn := range o.Nodes {
				p, ok := nodes[wn.ID]
				if !ok {
					continue // clipped extracts keep ways whose nodes lie outside
				}
				if len(line) == 0 || line[len(line)-1] != p {
					line = append(line, p)
				}
				out.Bound = out.Bound.Extend(p)
			}
			if len(line) < 2 {
				continue
			}
			if class != 0 {
				out.Barriers = append(out.Barriers, Barrier{Class: class, Line: line, ID: int64(o.ID)})
			}
			if building && len(line) >= 3 && len(o.Nodes) >= 4 && o.Nodes[0].ID == o.Nodes[len(o.Nodes)-1].ID {
				ring := orb.Ring(line)
				if ring[0] != ring[len(ring)-1] {
					ring = append(ring, ring[0])
				}
				if len(ring) >= 4 {
					out.Buildings = append(out.Buildings, Building{
						Ring: ring, Kind: o.Tags.Find("building"), Levels: levels(o.Tags), ID: int64(o.ID),
					})
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading OSM (truncated or corrupt?): %w", err)
	}
	if out.Nodes == 0 {
		return nil, errors.New("no OSM nodes: empty or not an OSM file")
	}
	return out, nil
}

// classify returns the barrier class of a way (0 if it is none) and whether it
// is a building. Tunnels, culverts, covered ways, indoor corridors and things
// proposed, under construction or abandoned divide nothing on the ground.
func classify(t osm.Tags) (Class, bool) {
	building := t.Find("building")
	isBuilding := building != "" && building != "no"
	if hidden(t) {
		return 0, isBuilding
	}
	if hw := t.Find("highway"); hw != "" && t.Find("area") != "yes" {
		switch hw {
		case "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link":
			return ClassPrimary, isBuilding
		case "secondary", "secondary_link":
			return ClassSecondary, isBuilding
		case "tertiary", "tertiary_link":
			return ClassTertiary, isBuilding
		case "residential", "unclassified", "living_street", "pedestrian", "road", "busway":
			return ClassStreet, isBuilding
		case "service", "footway", "path", "cycleway", "steps", "track", "bridleway":
			return ClassPath, isBuilding
		}
	}
	switch t.Find("railway") {
	case "rail", "light_rail", "narrow_gauge", "subway", "monorail", "preserved", "funicular":
		return ClassRailway, isBuilding
	}
	switch t.Find("waterway") {
	case "river", "canal", "riverbank":
		return ClassRiver, isBuilding
	case "stream", "drain", "ditch", "brook":
		return ClassStream, isBuilding
	}
	switch t.Find("natural") {
	case "ridge", "arete", "cliff":
		return ClassRidge, isBuilding
	case "coastline":
		return ClassRiver, isBuilding
	}
	return 0, isBuilding
}

func hidden(t osm.Tags) bool {
	switch t.Find("tunnel") {
	case "yes", "culvert", "building_passage", "covered":
		return true
	}
	if t.Find("covered") == "yes" || t.Find("indoor") == "yes" {
		return true
	}
	if l, err := strconv.Atoi(t.Find("layer")); err == nil && l < 0 && t.Find("bridge") == "" {
		return true
	}
	for _, k := range []string{"highway", "railway", "waterway"} {
		switch t.Find(k) {
		case "construction", "proposed", "abandoned", "disused", "razed", "platform", "corridor", "elevator":
			return true
		}
	}
	return false
}

func levels(t osm.Tags) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(t.Find("building:levels")), 64)
	if err != nil || v <= 0 || v > 200 {
		return 0
	}
	return v
}
