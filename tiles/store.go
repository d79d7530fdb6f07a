package tiles

import (
	"context"
	"fmt"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/store"
	"github.com/paulmach/orb"
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
	var grids, comms, blocks []Feature
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
	return NewSource(grids, comms, blocks, barriers, households), nil
}
