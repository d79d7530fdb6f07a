// Package api is gridline's HTTP interface: ownership lookups for case
// routing and the grids as OGC API – Features collections. Handlers are thin:
// they parse, call the store or the ownership snapshot, and write. Errors are
// RFC 9457 problem documents.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridline/gridline/edit"
	"github.com/gridline/gridline/owner"
	"github.com/gridline/gridline/store"
	"github.com/gridline/gridline/web"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Server serves one store.
type Server struct {
	store  *store.Store
	editor *edit.Editor
	snap   atomic.Pointer[owner.Snapshot]
	rev    atomic.Int64 // the store revision the snapshot shows
	reload sync.Mutex   // one reload at a time
	log    *slog.Logger
	echo   *echo.Echo
	ctx    context.Context // the server's life: background jobs end with it
	jobs   sync.Map        // job id → *job

	tiles   atomic.Pointer[tileState] // of the revision last drawn
	tilesMu sync.Mutex                // one tile source built at a time
}

// A batch holds at most maxBatchPoints; written with generous spacing they
// fit in batchBody. An edit names blocks and grids: editBody is ample.
const (
	maxBatchPoints = 100_000
	batchBody      = "16M"
	editBody       = "1M"
)

// New builds a server over st and loads the ownership snapshot. Background
// jobs stop when ctx ends.
func New(ctx context.Context, st *store.Store, log *slog.Logger) (*Server, error) {
	s := &Server{store: st, editor: edit.NewEditor(st), log: log, echo: echo.New(), ctx: ctx}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.Recover())
	e.Use(middleware.CORSWithConfig(middleware.CORSConfig{AllowMethods: []string{http.MethodGet, http.MethodHead}}))

	e.GET("/", s.landing)
	e.GET("/web/*", echo.WrapHandler(http.StripPrefix("/web/", web.Files())))
	e.GET("/conformance", s.conformance)
	e.GET("/collections", s.collections)
	e.GET("/collections/grids", s.gridsCollection)
	e.GET("/collections/grids/items", s.gridItems)
	e.GET("/collections/grids/items/:code", s.gridItem)
	e.GET("/v1/owner", s.ownerOf)
	e.GET("/tiles/tiles.json", s.tileJSON)
	e.GET("/tiles/:z/:x/:y", s.getTile)
	e.HEAD("/tiles/:z/:x/:y", s.getTile)
	e.POST("/v1/owner/batch", s.ownerBatch, middleware.BodyLimit(batchBody))

	e.POST("/v1/keys", s.postKey, middleware.BodyLimit(editBody), s.require(store.RoleAdmin))
	e.GET("/v1/jurisdictions", s.jurisdictions)
	e.POST("/v1/jurisdictions", s.postJurisdiction, middleware.BodyLimit(uploadBody), s.require(store.RoleAdmin))
	e.GET("/v1/jurisdictions/:id", s.jurisdiction)
	e.GET("/v1/jurisdictions/:id/versions", s.versions)
	e.GET("/v1/jurisdictions/:id/diff", s.diff)
	planner := s.require(store.RolePlanner)
	e.POST("/v1/jurisdictions/:id/edits", s.postEdit, middleware.BodyLimit(editBody), planner)
	e.POST("/v1/jurisdictions/:id/revert", s.postRevert, middleware.BodyLimit(editBody), planner)
	e.POST("/v1/jurisdictions/:id/partition", s.startPartition, middleware.BodyLimit(editBody), planner)
	e.POST("/v1/jurisdictions/:id/households", s.postHouseholds, middleware.BodyLimit(editBody), planner)
	e.GET("/v1/jurisdictions/:id/out-of-band", s.getOutOfBand)
	e.POST("/v1/jurisdictions/:id/rebalance", s.postRebalance, middleware.BodyLimit(editBody), planner)
	e.GET("/v1/jobs/:job", s.getJob)
	e.DELETE("/v1/jobs/:job", s.cancelJob, planner)
	e.GET("/v1/workers", s.workers, s.require(store.RoleReader)) // names and phones: not for anyone
	e.POST("/v1/workers", s.addWorker, middleware.BodyLimit(editBody), planner)
	e.PUT("/v1/grids/:code/workers", s.assign, middleware.BodyLimit(editBody), planner)
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/owner" && s.fastOwner(w, r) {
			return
		}
		s.echo.ServeHTTP(w, r)
	})
}

// Reload rebuilds the ownership snapshot from the store and swaps it in at
// once: lookups in flight finish on the old one.
func (s *Server) Reload(ctx context.Context) error {
	s.reload.Lock()
	defer s.reload.Unlock()
	snap, rev, err := owner.Load(ctx, s.store)
	if err != nil {
		return err
	}
	s.snap.Store(snap)
	s.rev.Store(rev)
	s.log.Info("ownership snapshot loaded", "grids", snap.Grids(), "revision", rev)
	return nil
}

// Watch reloads the snapshot whenever the store's revision moves, checking
// every interval until ctx ends: writes of other processes sharing the
// database reach this one's lookups within an interval.
func (s *Server) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rev, err := s.store.Revision(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("watching the store", "err", err)
			}
			continue
		}
		if rev != s.rev.Load() {
			if err := s.Reload(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reloading the snapshot", "err", err)
			}
		}
	}
}

// handleError writes every error as a problem document. Errors the handlers
// did not foresee are logged and answered 500 without their text.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var p *Problem
	var r *refusal
	var he *echo.HTTPError
	switch {
	case errors.As(err, &r):
		r.writeAs(c, r)
		return
	case errors.As(err, &p):
	case errors.Is(err, store.ErrNotFound):
		p = &Problem{Status: http.StatusNotFound, Title: "Not found", Detail: err.Error()}
	case errors.As(err, &he):
		p = &Problem{Status: he.Code, Title: http.StatusText(he.Code)}
		if msg, ok := he.Message.(string); ok && msg != http.StatusText(he.Code) {
			p.Detail = msg
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			p.Detail = "the request body is larger than this endpoint accepts"
		}
	case errors.Is(err, context.Canceled):
		return // the client went away
	default:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		p = &Problem{Status: http.StatusInternalServerError, Title: "Internal error", Detail: "the server could not answer; the error is in its log"}
	}
	p.write(c)
}
