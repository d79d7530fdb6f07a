package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
)

// ownerOf answers GET /v1/owner?lon=…&lat=…: the grid that owns the point,
// the units above it and its workers, or {"covered": false}.
func (s *Server) ownerOf(c echo.Context) error {
	lon, err := coordinate(c.QueryParam("lon"), "lon", 180)
	if err != nil {
		return err
	}
	lat, err := coordinate(c.QueryParam("lat"), "lat", 90)
	if err != nil {
		return err
	}
	snap := s.snap.Load()
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, snap.JSON(snap.Index(orb.Point{lon, lat})))
}

// coordinate parses a longitude or latitude in [-limit, limit].
func coordinate(raw, name string, limit float64) (float64, error) {
	if raw == "" {
		return 0, invalid("query parameter %s is required (WGS84 degrees)", name)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, invalid("%s=%q is not a number", name, raw)
	}
	if v < -limit || v > limit {
		return 0, invalid("%s=%v is outside [-%v, %v]: coordinates are WGS84 degrees", name, v, limit, limit)
	}
	return v, nil
}

// batchRequest is the body of POST /v1/owner/batch.
type batchRequest struct {
	Points [][]float64 `json:"points"`
}

// ownerBatch answers POST /v1/owner/batch with {"points": [[lon, lat], …]}
// (at most maxBatchPoints): "owners" gives each point's grid code, or null
// where no grid covers it, in the order of the points; "grids" gives the full
// answer once for every grid named.
func (s *Server) ownerBatch(c echo.Context) error {
	var req batchRequest
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he // the body limit
		}
		if errors.Is(err, io.EOF) {
			return invalid(`empty body: want {"points": [[lon, lat], …]}`)
		}
		return invalid(`body is not {"points": [[lon, lat], …]}: %v`, err)
	}
	if len(req.Points) > maxBatchPoints {
		return &Problem{Type: "/problems/too-many-points", Title: "Too many points", Status: http.StatusRequestEntityTooLarge,
			Detail: "a batch holds at most " + strconv.Itoa(maxBatchPoints) + " points; this one has " + strconv.Itoa(len(req.Points))}
	}
	snap := s.snap.Load() // one snapshot for the whole batch
	idx := make([]int, len(req.Points))
	for i, p := range req.Points {
		if len(p) != 2 {
			return invalid("points[%d] has %d numbers: want [lon, lat]", i, len(p))
		}
		if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
			return invalid("points[%d] = [%v, %v] is outside [-180, 180] × [-90, 90]: coordinates are WGS84 degrees", i, p[0], p[1])
		}
		idx[i] = snap.Index(orb.Point{p[0], p[1]})
	}
	// Written by hand: the owners array is the bulk of a large answer, and
	// each grid's code is encoded once.
	var buf bytes.Buffer
	buf.Grow(len(idx) * 16)
	buf.WriteString(`{"owners":[`)
	codes := map[int][]byte{}
	for i, g := range idx {
		if i > 0 {
			buf.WriteByte(',')
		}
		if g < 0 {
			buf.WriteString("null")
			continue
		}
		code, ok := codes[g]
		if !ok {
			code, _ = json.Marshal(snap.Answer(g).Grid.Code)
			codes[g] = code
		}
		buf.Write(code)
	}
	buf.WriteString(`],"grids":{`)
	for k, g := range slices.Sorted(maps.Keys(codes)) {
		if k > 0 {
			buf.WriteByte(',')
		}
		code := codes[g]
		buf.Write(code)
		buf.WriteByte(':')
		buf.Write(snap.JSON(g))
	}
	buf.WriteString("}}")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes())
}
