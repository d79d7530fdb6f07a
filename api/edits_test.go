package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/store"
)

// plannerServer serves a temporary store holding Camden, for as long as the
// test runs, and returns it with a planner's key.
func plannerServer(t *testing.T) (*store.Store, *httptest.Server, string) {
	t.Helper()
	st := fixture.CamdenStore(t)
	ts := serve(t, st)
	planner := key(t, st, "ana", "planner")
	return st, ts, planner
}

// key adds an API key to st and returns its token.
func key(t *testing.T, st *store.Store, name, role string) string {
	t.Helper()
	token, err := st.CreateKey(context.Background(), name, role)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func do(t *testing.T, method, url, key, ifMatch, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	return send(t, req, key)
}

// send sends req, with an API key when key is set, and reads the answer.
func send(t *testing.T, req *http.Request, key string) (*http.Response, []byte) {
	t.Helper()
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// TestEditsOverHTTP walks a planner's session on Camden: keys and roles,
// ETag and If-Match, a forced move that ownership sees at once, a refusal
// with its reasons, history, diff and revert.
func TestEditsOverHTTP(t *testing.T) {
	ctx := context.Background()
	st, ts, planner := plannerServer(t)
	reader := key(t, st, "router", "reader")

	// A household's block, its grid, and a neighbouring grid of the same
	// community.
	r := fixture.Camden(t)
	s, err := st.State(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	hb, from, to := -1, "", ""
	for i, bi := range r.Blocks.HouseholdBlock {
		if bi < 0 {
			continue
		}
		for _, n := range s.Adjacent[bi] {
			if g := s.GridOf[n]; g != s.GridOf[bi] && s.Grids[g].Community == s.Grids[s.GridOf[bi]].Community {
				hb, from, to = i, s.GridOf[bi], g
			}
		}
		if hb >= 0 {
			break
		}
	}
	p := r.Blocks.Points[hb].Point
	block := r.Blocks.HouseholdBlock[hb]
	ownerURL := fmt.Sprintf("%s/v1/owner?lon=%v&lat=%v", ts.URL, p[0], p[1])
	ownerOf := func() string {
		_, body := get(t, ownerURL)
		var a answer
		json.Unmarshal(body, &a)
		return a.Grid.Code
	}
	if got := ownerOf(); got != from {
		t.Fatalf("owner before the edit: %s, want %s", got, from)
	}

	resp, _ := get(t, ts.URL+"/v1/jurisdictions/camden")
	if resp.Header.Get("ETag") != `"v1"` {
		t.Fatalf("ETag %q, want \"v1\"", resp.Header.Get("ETag"))
	}
	edits := ts.URL + "/v1/jurisdictions/camden/edits"
	move := fmt.Sprintf(`{"op": "move", "blocks": [%d], "to": %q, "reason": "the estate's entrance moved", "force": true}`, block, to)
	for _, tc := range []struct {
		name, key, ifMatch, body string
		status                   int
		want                     string
	}{
		{"no key", "", `"v1"`, move, 401, "API key"},
		{"bad key", "gl_00000000_" + strings.Repeat("0", 48), `"v1"`, move, 401, "unknown"},
		{"reader key", reader, `"v1"`, move, 403, "needs planner"},
		{"no If-Match", planner, "", move, 428, "If-Match"},
		{"stale If-Match", planner, `"v0"`, move, 412, `"v1"`},
		{"not JSON", planner, `"v1"`, `{"op": "move",`, 400, "not JSON"},
		{"unknown field", planner, `"v1"`, `{"op": "move", "colour": "red"}`, 400, "unknown field"},
		{"unknown op", planner, `"v1"`, `{"op": "paint", "reason": "r"}`, 422, "unknown op"},
		{"unknown grid", planner, `"v1"`, `{"op": "lock", "grid": "NOPE", "reason": "r"}`, 422, "NOPE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, "POST", edits, tc.key, tc.ifMatch, tc.body)
			checkProblem(t, resp, body, tc.status, tc.want)
		})
	}
	if resp, _ := do(t, "POST", edits, "", `"v1"`, move); resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}

	// The forced move: stored as version 2, seen by ownership at once.
	resp, body := do(t, "POST", edits, planner, `"v1"`, move)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") != `"v2"` {
		t.Fatalf("forced move: %d %s %s", resp.StatusCode, resp.Header.Get("ETag"), body)
	}
	if got := ownerOf(); got != to {
		t.Errorf("owner after the move: %s, want %s", got, to)
	}
	// The same edit on the old version is a lost update: refused.
	resp, body = do(t, "POST", edits, planner, `"v1"`, move)
	checkProblem(t, resp, body, 412, `"v2"`)

	// Unforced, a grid of one block is below the band: refused, with the
	// rule and the grid named.
	back := fmt.Sprintf(`{"op": "split", "grid": %q, "blocks": [%d], "reason": "a grid of one block"}`, to, block)
	resp, body = do(t, "POST", edits, planner, `"v2"`, back)
	var refusal struct {
		Status     int
		Violations []struct{ Grid, Rule, Detail string }
	}
	if json.Unmarshal(body, &refusal); resp.StatusCode != 422 || len(refusal.Violations) == 0 || refusal.Violations[0].Rule != "band" {
		t.Errorf("split to one block: %d %s", resp.StatusCode, body)
	}

	_, body = get(t, ts.URL+"/v1/jurisdictions/camden/versions")
	var hist struct {
		Versions []struct {
			Version        int
			Author, Reason string
		}
	}
	if json.Unmarshal(body, &hist); len(hist.Versions) != 2 || hist.Versions[1].Author != "ana" || !strings.Contains(hist.Versions[1].Reason, "entrance") {
		t.Errorf("history: %s", body)
	}
	_, body = get(t, ts.URL+"/v1/jurisdictions/camden/diff?from=1&to=2")
	var d struct {
		Changed     []string
		BlocksMoved int `json:"blocks_moved"`
	}
	if json.Unmarshal(body, &d); d.BlocksMoved != 1 || !slices.Contains(d.Changed, from) || !slices.Contains(d.Changed, to) {
		t.Errorf("diff 1→2: %s", body)
	}

	resp, body = do(t, "POST", ts.URL+"/v1/jurisdictions/camden/revert", planner, `"v2"`, `{"to": 1, "reason": "back to the plan"}`)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") != `"v3"` {
		t.Fatalf("revert: %d %s", resp.StatusCode, body)
	}
	if got := ownerOf(); got != from {
		t.Errorf("owner after the revert: %s, want %s", got, from)
	}
	for _, path := range []string{"/v1/jurisdictions/nope", "/v1/jurisdictions/nope/versions", "/v1/jurisdictions/camden/diff?from=1&to=99"} {
		resp, body := get(t, ts.URL+path)
		checkProblem(t, resp, body, 404, "")
	}
	resp, body = get(t, ts.URL+"/v1/jurisdictions/camden/diff?from=a&to=1")
	checkProblem(t, resp, body, 400, "from")
}
