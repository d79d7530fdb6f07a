package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gridline/gridline/edit"
	"github.com/gridline/gridline/store"
	"github.com/labstack/echo/v4"
)

// etag is the entity tag of a jurisdiction's grids at a version.
func etag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// ifMatch reads the version an edit is based on from If-Match: 428 when it
// is missing, 412 when it is not the current one.
func (s *Server) ifMatch(c echo.Context, id string) (int, error) {
	raw := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if raw == "" {
		return 0, &Problem{Type: "/problems/precondition-required", Title: "Precondition required", Status: http.StatusPreconditionRequired,
			Detail: "send If-Match with the ETag of the grids you edit (GET /v1/jurisdictions/" + id + "), so that no edit overwrites another unseen"}
	}
	v, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(raw, "W/"), `"`), `"v`))
	cur, cerr := s.store.Version(c.Request().Context(), id)
	if cerr != nil {
		return 0, cerr
	}
	if err != nil || v != cur {
		return 0, stale(cur, raw)
	}
	return v, nil
}

func stale(cur int, sent string) *Problem {
	return &Problem{Type: "/problems/stale", Title: "Precondition failed", Status: http.StatusPreconditionFailed,
		Detail: fmt.Sprintf("If-Match %s is not the current version %s: the grids changed; read them again", sent, etag(cur))}
}

func (s *Server) jurisdictions(c echo.Context) error {
	js, err := s.store.Jurisdictions(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(js))
	for i, j := range js {
		out[i] = jurisdictionJSON(j)
	}
	return c.JSON(http.StatusOK, map[string]any{"jurisdictions": out})
}

func jurisdictionJSON(j store.Jurisdiction) map[string]any {
	return map[string]any{"id": j.ID, "name": j.Name, "band": map[string]int{"min": j.BandMin, "max": j.BandMax}, "version": j.Version}
}

func (s *Server) jurisdiction(c echo.Context) error {
	js, err := s.store.Jurisdictions(c.Request().Context())
	if err != nil {
		return err
	}
	i := slices.IndexFunc(js, func(j store.Jurisdiction) bool { return j.ID == c.Param("id") })
	if i < 0 {
		return fmt.Errorf("jurisdiction %q: %w", c.Param("id"), store.ErrNotFound)
	}
	c.Response().Header().Set("ETag", etag(js[i].Version))
	return c.JSON(http.StatusOK, jurisdictionJSON(js[i]))
}

// postEdit applies one edit (edit.Op as JSON) on the version If-Match names.
func (s *Server) postEdit(c echo.Context) error {
	id := c.Param("id")
	var op edit.Op
	if err := decode(c, &op, `{"op": "move", "blocks": [17], "to": "E02000166003", "reason": "…"}`); err != nil {
		return err
	}
	base, err := s.ifMatch(c, id)
	if err != nil {
		return err
	}
	res, err := s.editor.Apply(c.Request().Context(), id, base, op, author(c))
	if err != nil {
		return s.editError(c, err)
	}
	return s.afterEdit(c, res.Version, res)
}

type revertRequest struct {
	To     int    `json:"to"`
	Reason string `json:"reason"`
}

// postRevert makes an earlier version current again, as a new version.
func (s *Server) postRevert(c echo.Context) error {
	id := c.Param("id")
	var req revertRequest
	if err := decode(c, &req, `{"to": 3, "reason": "…"}`); err != nil {
		return err
	}
	if strings.TrimSpace(req.Reason) == "" {
		return invalidEdit("a revert needs a reason")
	}
	base, err := s.ifMatch(c, id)
	if err != nil {
		return err
	}
	v, err := s.store.Revert(c.Request().Context(), id, base, req.To, author(c), req.Reason)
	if err != nil {
		return s.editError(c, err)
	}
	return s.afterEdit(c, v, map[string]int{"version": v})
}

// afterEdit swaps in a new ownership snapshot before answering, so that the
// planner's next lookup sees the edit.
func (s *Server) afterEdit(c echo.Context, version int, body any) error {
	if err := s.Reload(c.Request().Context()); err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(version))
	return c.JSON(http.StatusOK, body)
}

func (s *Server) editError(c echo.Context, err error) error {
	var inv *edit.Invalid
	if r, ok := edit.IsRefused(err); ok {
		return &refusal{Problem: Problem{Type: "/problems/edit-refused", Title: "Edit refused", Status: http.StatusUnprocessableEntity,
			Detail: r.Error() + ` (send "force": true with a reason to store it anyway, except on a locked grid)`}, Violations: r.Violations}
	}
	if errors.As(err, &inv) {
		return invalidEdit(inv.Detail)
	}
	if errors.Is(err, store.ErrStale) {
		cur, cerr := s.store.Version(c.Request().Context(), c.Param("id"))
		if cerr != nil {
			return cerr
		}
		return stale(cur, c.Request().Header.Get("If-Match"))
	}
	return err
}

// refusal is a 422 problem that lists each rule broken.
type refusal struct {
	Problem
	Violations []edit.Violation `json:"violations"`
}

func (s *Server) versions(c echo.Context) error {
	vs, err := s.store.Versions(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"versions": vs})
}

// diff compares two versions (?from=&to=): the grids added, removed, and
// those whose blocks changed.
func (s *Server) diff(c echo.Context) error {
	id := c.Param("id")
	var v [2]int
	for i, name := range []string{"from", "to"} {
		n, err := strconv.Atoi(c.QueryParam(name))
		if err != nil {
			return invalid("%s=%q: want a version number", name, c.QueryParam(name))
		}
		v[i] = n
	}
	ctx := c.Request().Context()
	a, err := s.store.Membership(ctx, id, v[0])
	if err != nil {
		return err
	}
	b, err := s.store.Membership(ctx, id, v[1])
	if err != nil {
		return err
	}
	blocksOf := func(m []string) map[string][]int {
		out := map[string][]int{}
		for blk, g := range m {
			out[g] = append(out[g], blk)
		}
		return out
	}
	ga, gb := blocksOf(a), blocksOf(b)
	added, removed, changed := []string{}, []string{}, []string{}
	for g, blocks := range gb {
		switch old, ok := ga[g]; {
		case !ok:
			added = append(added, g)
		case !slices.Equal(old, blocks):
			changed = append(changed, g)
		}
	}
	for g := range ga {
		if _, ok := gb[g]; !ok {
			removed = append(removed, g)
		}
	}
	moved := 0
	for blk := range a {
		if a[blk] != b[blk] {
			moved++
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	slices.Sort(changed)
	return c.JSON(http.StatusOK, map[string]any{"from": v[0], "to": v[1], "added": added, "removed": removed, "changed": changed, "blocks_moved": moved})
}

// decode reads the request's JSON body into v, refusing fields v does not
// have; example shows the form expected in the 400's detail.
func decode(c echo.Context, v any, example string) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err, example)
	}
	return nil
}

// bodyError turns a JSON decoding error into a 400 (or the body limit's 413).
func bodyError(err error, example string) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return invalid("the body is not JSON of the form %s: %v", example, err)
}
