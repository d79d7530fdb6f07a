package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gridline/gridline/tiles"
	"github.com/labstack/echo/v4"
)

const mvtType = "application/vnd.mapbox-vector-tile"

// tileState is the tile source of one store revision, with the tiles drawn
// from it so far (each encoded once, plain and gzipped, with its ETag).
type tileState struct {
	rev   int64
	src   *tiles.Source
	cache sync.Map // "z/x/y" → *tile
}

type tile struct {
	plain, gzipped []byte
	etag           string
}

// tileSource returns the tile source of the store's current revision,
// building it on first use after a change: edits pay nothing for tiles no
// one asks for.
func (s *Server) tileSource(ctx context.Context) (*tileState, error) {
	rev := s.rev.Load()
	if ts := s.tiles.Load(); ts != nil && ts.rev == rev {
		return ts, nil
	}
	s.tilesMu.Lock()
	defer s.tilesMu.Unlock()
	if ts := s.tiles.Load(); ts != nil && ts.rev == rev {
		return ts, nil
	}
	src, err := tiles.FromStore(ctx, s.store)
	if err != nil {
		return nil, err
	}
	ts := &tileState{rev: rev, src: src}
	s.tiles.Store(ts)
	return ts, nil
}

// getTile answers /tiles/{z}/{x}/{y}.mvt: 400 outside the pyramid, 204 where
// nothing is drawn, 304 when the client's ETag still holds; gzipped when
// the client accepts it. The ETag is the tile's own hash, so an edit changes
// the ETags of the tiles it touches and of no other. A URL carrying the
// current ?rev (as tiles.json gives it) may be cached for good.
func (s *Server) getTile(c echo.Context) error {
	z, err1 := strconv.Atoi(c.Param("z"))
	x, err2 := strconv.Atoi(c.Param("x"))
	yRaw, ok := strings.CutSuffix(c.Param("y"), ".mvt")
	y, err3 := strconv.Atoi(yRaw)
	if err := errors.Join(err1, err2, err3); err != nil || !ok {
		return invalid("tile path /tiles/%s/%s/%s: want /tiles/{z}/{x}/{y}.mvt with whole numbers", c.Param("z"), c.Param("x"), c.Param("y"))
	}
	ts, err := s.tileSource(c.Request().Context())
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%d/%d/%d", z, x, y)
	var t *tile
	if v, ok := ts.cache.Load(key); ok {
		t = v.(*tile)
	} else {
		data, err := ts.src.Render(z, x, y)
		if errors.Is(err, tiles.ErrOutOfRange) {
			return invalid("%v", err)
		}
		if err != nil {
			return err
		}
		t = &tile{}
		if data != nil {
			h := fnv.New64a()
			h.Write(data)
			var gz bytes.Buffer
			w := gzip.NewWriter(&gz)
			w.Write(data)
			w.Close()
			t.plain, t.gzipped, t.etag = data, gz.Bytes(), fmt.Sprintf(`"%x"`, h.Sum64())
		}
		ts.cache.Store(key, t)
	}
	h := c.Response().Header()
	if c.QueryParam("rev") == strconv.FormatInt(ts.rev, 10) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if t.plain == nil {
		return c.NoContent(http.StatusNoContent)
	}
	h.Set("ETag", t.etag)
	h.Set("Vary", "Accept-Encoding")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, t.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := t.plain
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = t.gzipped
	}
	return c.Blob(http.StatusOK, mvtType, body)
}

// tileJSON describes the tiles (TileJSON 3.0.0); its tile URL carries the
// store's revision, so that clients and CDNs may keep tiles until it moves.
func (s *Server) tileJSON(c echo.Context) error {
	ts, err := s.tileSource(c.Request().Context())
	if err != nil {
		return err
	}
	b := ts.src.Bound()
	center := b.Center()
	return c.JSON(http.StatusOK, map[string]any{
		"tilejson":      "3.0.0",
		"name":          "gridline",
		"tiles":         []string{fmt.Sprintf("%s/tiles/{z}/{x}/{y}.mvt?rev=%d", base(c), ts.rev)},
		"minzoom":       0,
		"maxzoom":       tiles.MaxZoom,
		"bounds":        []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
		"center":        []float64{center[0], center[1], 13},
		"vector_layers": tiles.VectorLayers(),
	})
}
