package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gridline/gridline/partition"
	"github.com/gridline/gridline/store"
	"github.com/labstack/echo/v4"
)

// A job is a partition running in the background. Jobs live in the server's
// memory: a restart forgets them (a job that had not stored its version
// leaves the grids as they were).
type job struct {
	mu           sync.Mutex
	ID           string              `json:"id"`
	Jurisdiction string              `json:"jurisdiction"`
	State        string              `json:"state"` // running, done, failed, cancelled
	Stage        string              `json:"stage"`
	Percent      float64             `json:"percent"`
	Version      int                 `json:"version,omitempty"`
	Error        string              `json:"error,omitempty"`
	Problems     []partition.Problem `json:"problems,omitempty"`
	Started      time.Time           `json:"started"`
	Finished     *time.Time          `json:"finished,omitempty"`
	ctx          context.Context
	cancel       context.CancelFunc
}

// jobsKept is how long a finished job stays to be read.
const jobsKept = 24 * time.Hour

// newJob registers a running job for jurisdiction id, and forgets jobs that
// finished more than jobsKept ago.
func (s *Server) newJob(id string) *job {
	s.jobs.Range(func(k, v any) bool {
		j := v.(*job)
		j.mu.Lock()
		old := j.Finished != nil && time.Since(*j.Finished) > jobsKept
		j.mu.Unlock()
		if old {
			s.jobs.Delete(k)
		}
		return true
	})
	raw := make([]byte, 8)
	rand.Read(raw)
	ctx, cancel := context.WithCancel(s.ctx)
	j := &job{ID: hex.EncodeToString(raw), Jurisdiction: id, State: "running", Stage: "queued", Started: time.Now().UTC(), ctx: ctx, cancel: cancel}
	s.jobs.Store(j.ID, j)
	return j
}

func (j *job) progress(stage string, pct float64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.Stage, j.Percent = stage, pct
}

func (j *job) MarshalJSON() ([]byte, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	type plain job
	return json.Marshal((*plain)(j))
}

func (j *job) finish(state, msg string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now().UTC()
	j.State, j.Error, j.Finished = state, msg, &now
}

type partitionRequest struct {
	Min    int    `json:"min"`
	Max    int    `json:"max"`
	Target int    `json:"target"`
	Seed   uint64 `json:"seed"`
	Reason string `json:"reason"`
}

// startPartition answers POST /v1/jurisdictions/{id}/partition with 202 and
// the job's URL; the job stores its grids as a new version when done.
func (s *Server) startPartition(c echo.Context) error {
	id := c.Param("id")
	req := partitionRequest{Min: partition.DefaultBand.Min, Max: partition.DefaultBand.Max, Seed: 1}
	if err := decode(c, &req, `{"min": 200, "max": 500, "seed": 1, "reason": "…"}`); err != nil {
		return err
	}
	band := partition.Band{Min: req.Min, Max: req.Max, Target: req.Target}
	if err := band.Validate(); err != nil {
		return invalidEdit(err.Error())
	}
	if strings.TrimSpace(req.Reason) == "" {
		return invalidEdit("a partition needs a reason")
	}
	base, err := s.ifMatch(c, id)
	if err != nil {
		return err
	}
	j := s.newJob(id)
	who := author(c)
	go func() {
		defer j.cancel()
		res, problems, err := s.editor.Repartition(j.ctx, id, base, partition.Options{Band: band, Seed: req.Seed}, who, req.Reason, j.progress)
		switch {
		case errors.Is(err, context.Canceled):
			j.finish("cancelled", "cancelled before its grids were stored")
		case err != nil:
			j.finish("failed", err.Error())
		default:
			if rerr := s.Reload(s.ctx); rerr != nil {
				s.log.Error("reload after a partition", "err", rerr)
			}
			j.mu.Lock()
			j.Version, j.Problems = res.Version, problems
			j.mu.Unlock()
			j.finish("done", "")
		}
	}()
	c.Response().Header().Set(echo.HeaderLocation, "/v1/jobs/"+j.ID)
	return c.JSON(http.StatusAccepted, j)
}

func (s *Server) lookupJob(c echo.Context) (*job, error) {
	v, ok := s.jobs.Load(c.Param("job"))
	if !ok {
		return nil, fmt.Errorf("job %q: %w", c.Param("job"), store.ErrNotFound)
	}
	return v.(*job), nil
}

func (s *Server) getJob(c echo.Context) error {
	j, err := s.lookupJob(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, j)
}

// cancelJob asks a running job to stop; it answers with the job as it is.
func (s *Server) cancelJob(c echo.Context) error {
	j, err := s.lookupJob(c)
	if err != nil {
		return err
	}
	j.cancel()
	return c.JSON(http.StatusAccepted, j)
}
