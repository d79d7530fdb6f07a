// Package owner answers case routing's question — which grid owns this
// place, and who stands above it — from an in-memory snapshot of the current
// grids. A snapshot never changes once built; a server swaps in a new one
// after each change, so a lookup never sees half an edit.
package owner

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/store"
	"github.com/paulmach/orb"
)

// Ref names a unit.
type Ref struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// GridRef names a grid and its size.
type GridRef struct {
	Code       string `json:"code"`
	Households int    `json:"households"`
}

// Worker is a person assigned to a grid.
type Worker struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Role        string `json:"role"`
	Responsible bool   `json:"responsible,omitempty"`
}

// Answer is who owns a point: the grid and the chain of units above it.
// Township is null where the jurisdiction has no township level.
type Answer struct {
	Covered      bool     `json:"covered"`
	Jurisdiction string   `json:"jurisdiction"`
	Grid         GridRef  `json:"grid"`
	Community    Ref      `json:"community"`
	Township     *Ref     `json:"township"`
	District     Ref      `json:"district"`
	Workers      []Worker `json:"workers"`
}

// notCovered is the answer for a point that no grid covers.
var notCovered = &Answer{}

// MarshalJSON writes a point outside every grid as {"covered": false}.
func (a *Answer) MarshalJSON() ([]byte, error) {
	if !a.Covered {
		return notCoveredJSON, nil
	}
	type plain Answer
	return json.Marshal((*plain)(a))
}

// Snapshot is an immutable index of the current grids.
type Snapshot struct {
	regions *geo.RegionIndex
	owner   []int32   // polygon of the index → grid
	answers []*Answer // per grid, built once
	encoded [][]byte  // per grid, its answer as JSON
	byCode  map[string]int
}

// Build indexes grids, with the units above them and the workers assigned.
func Build(grids []store.Grid, units []store.Unit, assignments []store.Assignment) (*Snapshot, error) {
	workers := map[string][]Worker{}
	for _, a := range assignments {
		workers[a.Grid] = append(workers[a.Grid], Worker{ID: a.Worker, Name: a.Name, Role: a.Role, Responsible: a.Responsible})
	}
	type unitKey struct{ jurisdiction, code string }
	byUnit := make(map[unitKey]store.Unit, len(units))
	for _, u := range units {
		byUnit[unitKey{u.Jurisdiction, u.Code}] = u
	}
	s := &Snapshot{byCode: make(map[string]int, len(grids))}
	var polys []orb.Polygon
	for gi, g := range grids {
		c, ok := byUnit[unitKey{g.Jurisdiction, g.Community}]
		if !ok {
			return nil, fmt.Errorf("grid %s: community %q is not stored", g.Code, g.Community)
		}
		a := &Answer{
			Covered: true, Jurisdiction: g.Jurisdiction, Workers: append([]Worker{}, workers[g.Code]...),
			Grid:      GridRef{Code: g.Code, Households: g.Households},
			Community: Ref{Code: c.Code, Name: c.Name},
		}
		// Walk up: a community's parent is a township or the district.
		up, seen := c.Parent, 0
		for up != "" && seen < 4 {
			u, ok := byUnit[unitKey{g.Jurisdiction, up}]
			if !ok {
				return nil, fmt.Errorf("unit %s: parent %q is not stored", c.Code, up)
			}
			switch u.Level {
			case "township":
				a.Township = &Ref{Code: u.Code, Name: u.Name}
			case "district":
				a.District = Ref{Code: u.Code, Name: u.Name}
			}
			up, seen = u.Parent, seen+1
		}
		s.answers = append(s.answers, a)
		s.byCode[g.Code] = gi
		switch sh := g.Shape.(type) {
		case orb.Polygon:
			polys, s.owner = append(polys, sh), append(s.owner, int32(gi))
		case orb.MultiPolygon:
			for _, p := range sh {
				polys, s.owner = append(polys, p), append(s.owner, int32(gi))
			}
		default:
			return nil, fmt.Errorf("grid %s: a %T is not an area", g.Code, g.Shape)
		}
	}
	s.regions = geo.NewRegionIndex(polys)
	for _, a := range s.answers {
		raw, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		s.encoded = append(s.encoded, raw)
	}
	return s, nil
}

// Load builds a snapshot of the store's current grids and returns it with
// the store revision it shows. Grids, units and workers are read by separate
// queries: when a write lands between them, they are read again, so a
// snapshot never mixes two revisions.
func Load(ctx context.Context, st *store.Store) (*Snapshot, int64, error) {
	for {
		before, err := st.Revision(ctx)
		if err != nil {
			return nil, 0, err
		}
		snap, err := load(ctx, st)
		if err != nil {
			return nil, 0, err
		}
		after, err := st.Revision(ctx)
		if err != nil {
			return nil, 0, err
		}
		if before == after {
			return snap, after, nil
		}
	}
}

func load(ctx context.Context, st *store.Store) (*Snapshot, error) {
	grids, err := st.Grids(ctx, store.GridQuery{})
	if err != nil {
		return nil, fmt.Errorf("load grids: %w", err)
	}
	units, err := st.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	as, err := st.Assignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("load workers: %w", err)
	}
	return Build(grids, units, as)
}

// Index returns the grid that owns a WGS84 point, numbered from 0 in the
// order the snapshot was built, or -1 when no grid covers it.
func (s *Snapshot) Index(p orb.Point) int {
	if i := s.regions.Owner(p); i >= 0 {
		return int(s.owner[i])
	}
	return -1
}

// Answer returns the answer for grid i (an Index), or the "not covered"
// answer when i < 0.
func (s *Snapshot) Answer(i int) *Answer {
	if i < 0 {
		return notCovered
	}
	return s.answers[i]
}

// notCoveredJSON is the encoded answer for a point no grid covers.
var notCoveredJSON = []byte(`{"covered":false}`)

// JSON returns the answer for grid i (an Index) as JSON, encoded once when
// the snapshot was built: the hot path of case routing writes it as is.
// Callers must not change it.
func (s *Snapshot) JSON(i int) []byte {
	if i < 0 {
		return notCoveredJSON
	}
	return s.encoded[i]
}

// Lookup returns the owner of a WGS84 point. A point on an edge that two
// grids share has one owner, the same every time. The answer is shared:
// callers must not change it.
func (s *Snapshot) Lookup(p orb.Point) *Answer { return s.Answer(s.Index(p)) }

// Grids returns how many grids the snapshot holds.
func (s *Snapshot) Grids() int { return len(s.answers) }
