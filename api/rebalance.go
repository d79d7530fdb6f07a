package api

import (
	"net/http"
	"strings"

	"github.com/gridline/gridline/edit"
	"github.com/gridline/gridline/store"
	"github.com/labstack/echo/v4"
)

type householdsRequest struct {
	Blocks []store.BlockHouseholds `json:"blocks"`
	Reason string                  `json:"reason"`
}

// postHouseholds records new household counts of blocks as a new version
// and answers with the grids that the change put outside the band.
func (s *Server) postHouseholds(c echo.Context) error {
	id := c.Param("id")
	var req householdsRequest
	if err := decode(c, &req, `{"blocks": [{"block": 17, "households": 240}], "reason": "…"}`); err != nil {
		return err
	}
	if len(req.Blocks) == 0 || strings.TrimSpace(req.Reason) == "" {
		return invalidEdit("give the blocks whose households changed, and a reason")
	}
	base, err := s.ifMatch(c, id)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v, err := s.store.SetHouseholds(ctx, id, base, req.Blocks, author(c), req.Reason)
	if err != nil {
		if p := writeError(err); p != err {
			return p
		}
		return s.editError(c, err)
	}
	st, err := s.store.State(ctx, id)
	if err != nil {
		return err
	}
	return s.afterEdit(c, v, map[string]any{"version": v, "out_of_band": outOfBand(st)})
}

type bandStatus struct {
	Code       string `json:"code"`
	Households int    `json:"households"`
	Min        int    `json:"min"`
	Max        int    `json:"max"`
}

func outOfBand(st *store.State) []bandStatus {
	out := []bandStatus{}
	for _, code := range edit.OutOfBand(st) {
		out = append(out, bandStatus{code, st.Grids[code].Households, st.Jurisdiction.BandMin, st.Jurisdiction.BandMax})
	}
	return out
}

// getOutOfBand lists the grids outside the band.
func (s *Server) getOutOfBand(c echo.Context) error {
	st, err := s.store.State(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(st.Jurisdiction.Version))
	return c.JSON(http.StatusOK, map[string]any{"grids": outOfBand(st)})
}

type rebalanceRequest struct {
	Reason string `json:"reason"`
}

// postRebalance mends the grids outside the band with the least change.
func (s *Server) postRebalance(c echo.Context) error {
	id := c.Param("id")
	var req rebalanceRequest
	if err := decode(c, &req, `{"reason": "…"}`); err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return invalidEdit("a rebalance needs a reason")
	}
	base, err := s.ifMatch(c, id)
	if err != nil {
		return err
	}
	res, err := s.editor.Rebalance(c.Request().Context(), id, base, author(c), req.Reason)
	if err != nil {
		return s.editError(c, err)
	}
	return s.afterEdit(c, res.Version, res)
}
