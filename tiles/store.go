package tiles

import (
	"context"
	"fmt"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/store"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// FromStore draws the current grids of every jurisdiction in st, with their
// blocks; communities are drawn as the union of their grids, so that they
// share the grids' edges exactly.
func FromStore(ctx context.Context, st *store.Store) (*Source, error) {
	js, err := st.Jurisdictions(ctx)
	if err != nil {
		return nil, err
	}
	gctx := geos.NewContext()
	units, err := st.Units(ctx)
	if err != nil {
		return nil, err
	}
	var grids, comms, blocks, gaps []Feature
	var barriers []Line
	var households []Point
	for _, j := range js {
		state, err := st.State(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		gs, err := st.Grids(ctx, store.GridQuery{Jurisdiction: j.ID})
		if err != nil {
			return nil, err
		}
		byComm := map[string][]orb.Polygon{}
		var commOrder []string
		var covered []orb.Polygon
		for _, g := range gs {
			band := "in"
			switch {
			case g.Households < j.BandMin:
				band = "below"
			case g.Households > j.BandMax:
				band = "above"
			}
			props := map[string]any{"code": g.Code, "households": g.Households, "band": band, "community": g.Community, "worker": g.Worker}
			for _, p := range geo.Polygons(g.Shape) {
				grids = append(grids, Feature{ID: ID(g.Code), Shape: p, Properties: props})
				if byComm[g.Community] == nil {
					commOrder = append(commOrder, g.Community)
				}
				byComm[g.Community] = append(byComm[g.Community], p)
				covered = append(covered, p)
			}
		}
		for _, c := range commOrder {
			polys, err := geo.Dissolve(gctx, byComm[c])
			if err != nil {
				return nil, fmt.Errorf("community %s: %w", c, err)
			}
			for _, p := range polys {
				comms = append(comms, Feature{ID: ID(c), Shape: p, Properties: map[string]any{"code": c, "jurisdiction": j.ID}})
			}
		}
		// Gaps: what of the district no grid covers (all of it before a
		// first partition), with the households of blocks in no grid.
		uncovered := 0
		for _, b := range state.Blocks {
			if state.GridOf[b.ID] == "" {
				uncovered += b.Households
			}
		}
		for _, u := range units {
			if u.Jurisdiction != j.ID || u.Level != "district" {
				continue
			}
			holes, err := uncoveredArea(gctx, u.Shape, covered)
			if err != nil {
				return nil, fmt.Errorf("gaps of %s: %w", j.ID, err)
			}
			for i, p := range holes {
				gaps = append(gaps, Feature{ID: ID(fmt.Sprintf("%s/gap%d", j.ID, i)), Shape: p,
					Properties: map[string]any{"jurisdiction": j.ID, "households_uncovered": uncovered}})
			}
		}
		bs, err := st.Barriers(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		for i, b := range bs {
			barriers = append(barriers, Line{ID: ID(fmt.Sprintf("%s/b%d", j.ID, i)), Line: b.Line, Properties: map[string]any{"class": b.Class}})
		}
		hs, err := st.Households(ctx, j.ID)
		if err != nil {
			return nil, err
		}
		for i, h := range hs {
			households = append(households, Point{ID: ID(fmt.Sprintf("%s/h%d", j.ID, i)), Point: h.Point,
				Properties: map[string]any{"households": h.Households, "grid": state.GridOf[h.Block]}})
		}
		for _, b := range state.Blocks {
			blocks = append(blocks, Feature{ID: ID(fmt.Sprintf("%s/%d", j.ID, b.ID)), Shape: b.Shape,
				Properties: map[string]any{"block": b.ID, "households": b.Households, "grid": state.GridOf[b.ID], "jurisdiction": j.ID}})
		}
	}
	return NewSource(grids, comms, blocks, gaps, barriers, households), nil
}

// minGap is the least area, in square degrees (about 10 m² at 50°N), that
// counts as a gap: below it, a difference of outlines is rounding.
const minGap = 1e-9

// uncoveredArea returns the parts of district that no polygon of covered
// (shapes that share edges exactly: grids) covers.
func uncoveredArea(gctx *geos.Context, district orb.Geometry, covered []orb.Polygon) (_ []orb.Polygon, err error) {
	defer geo.Recover(&err)
	rest := geo.ToGEOS(gctx, district)
	if len(covered) > 0 {
		union, err := geo.Dissolve(gctx, covered)
		if err != nil {
			return nil, err
		}
		rest = rest.Difference(geo.ToGEOS(gctx, orb.MultiPolygon(union)))
	}
	var out []orb.Polygon
	for _, p := range geo.Polygons(geo.FromGEOS(rest)) {
		if planar.Area(p) >= minGap {
			geo.Orient(p)
			out = append(out, p)
		}
	}
	return out, nil
}
