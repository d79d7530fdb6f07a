package api

import (
	"errors"
	"net/http"

	"github.com/gridline/gridline/store"
	"github.com/labstack/echo/v4"
)

// workers lists the roster and who works on which grid.
func (s *Server) workers(c echo.Context) error {
	ctx := c.Request().Context()
	ws, err := s.store.Workers(ctx)
	if err != nil {
		return err
	}
	as, err := s.store.Assignments(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"workers": ws, "assignments": as})
}

// addWorker puts a person on the roster.
func (s *Server) addWorker(c echo.Context) error {
	var w store.Worker
	if err := decode(c, &w, `{"id": "w-017", "name": "Li Mei", "phone": "…"}`); err != nil {
		return err
	}
	if err := s.store.AddWorker(c.Request().Context(), w); err != nil {
		return writeError(err)
	}
	if err := s.Reload(c.Request().Context()); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, w)
}

type assignRequest struct {
	Workers []store.Assignment `json:"workers"`
}

// assign replaces a grid's workers: PUT /v1/grids/{code}/workers.
func (s *Server) assign(c echo.Context) error {
	var req assignRequest
	if err := decode(c, &req, `{"workers": [{"worker": "w-017", "role": "grid_worker", "responsible": true}]}`); err != nil {
		return err
	}
	code := c.Param("code")
	for i := range req.Workers {
		req.Workers[i].Grid = code
	}
	ctx := c.Request().Context()
	if _, err := s.store.Grid(ctx, code); err != nil {
		return err // an unknown grid in the path: 404
	}
	if err := s.store.Assign(ctx, code, req.Workers); err != nil {
		return writeError(err)
	}
	if err := s.Reload(ctx); err != nil {
		return err
	}
	all, err := s.store.Assignments(ctx)
	if err != nil {
		return err
	}
	mine := []store.Assignment{}
	for _, a := range all {
		if a.Grid == code {
			mine = append(mine, a)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"grid": code, "workers": mine})
}

// writeError maps the store's refusals of a body's content to 409 and 422.
func writeError(err error) error {
	switch {
	case errors.Is(err, store.ErrConflict):
		return &Problem{Type: "/problems/conflict", Title: "Conflict", Status: http.StatusConflict, Detail: err.Error()}
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		return unprocessable(err.Error())
	}
	return err
}
