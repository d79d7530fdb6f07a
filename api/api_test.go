package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gridline/gridline/api"
	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/owner"
	"github.com/gridline/gridline/store"
	"github.com/paulmach/orb"
)

// camdenServer serves a temporary store holding Camden's partition.
func camdenServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	return serve(tb, fixture.CamdenStore(tb))
}

// serve serves st until the test ends (its background jobs too).
func serve(tb testing.TB, st *store.Store) *httptest.Server {
	tb.Helper()
	ctx, stop := context.WithCancel(context.Background())
	tb.Cleanup(stop)
	srv, err := api.New(ctx, st, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	return do(t, http.MethodGet, url, "", "", "")
}

func post(t *testing.T, url string, body []byte) (*http.Response, []byte) {
	t.Helper()
	return do(t, http.MethodPost, url, "", "", string(body))
}

// checkProblem asserts an RFC 9457 answer with the status and a detail that
// mentions want.
func checkProblem(t *testing.T, resp *http.Response, body []byte, status int, want string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p struct {
		Type, Title, Detail string
		Status              int
	}
	if err := json.Unmarshal(body, &p); err != nil || p.Type == "" || p.Title == "" || p.Status != status {
		t.Errorf("not a problem document (%v): %s", err, body)
	}
	if !strings.Contains(p.Detail, want) {
		t.Errorf("detail %q does not mention %q", p.Detail, want)
	}
}

type answer struct {
	Covered bool
	Grid    struct {
		Code       string
		Households int
	}
	Community struct{ Code, Name string }
	Township  *struct{ Code, Name string }
	District  struct{ Code, Name string }
	Workers   []struct{ ID, Name, Role string }
}

func TestOwner(t *testing.T) {
	ts := camdenServer(t)
	r := fixture.Camden(t)
	b := r.Blocks
	// Every 10th household point: owned by the grid its block is in.
	for i := 0; i < len(b.Points); i += 10 {
		bi := b.HouseholdBlock[i]
		if bi < 0 {
			continue
		}
		p := b.Points[i].Point
		resp, body := get(t, fmt.Sprintf("%s/v1/owner?lon=%v&lat=%v", ts.URL, p[0], p[1]))
		var a answer
		if resp.StatusCode != 200 || json.Unmarshal(body, &a) != nil {
			t.Fatalf("%v: %d %s", p, resp.StatusCode, body)
		}
		g := r.Grids[r.BlockGrid[bi]]
		if !a.Covered || a.Grid.Code != g.Code || a.Grid.Households != g.Households ||
			a.Community.Code != b.Communities[g.Community].Code || a.District.Code != "camden" || a.Workers == nil {
			t.Fatalf("%v: %s, want grid %s", p, body, g.Code)
		}
	}
	// The answer carries the headers map clients need, on the fast path and
	// off it (a lookup the fast path hands on, with a repeated key).
	for _, q := range []string{"lon=-0.1426&lat=51.541", "lon=-0.1426&lat=51.541&lat=51.541"} {
		req, _ := http.NewRequest("GET", ts.URL+"/v1/owner?"+q, nil)
		req.Header.Set("Origin", "https://map.example")
		resp, body := send(t, req, "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Access-Control-Allow-Origin") != "*" || !json.Valid(body) {
			t.Errorf("%s: %d %v %s", q, resp.StatusCode, resp.Header, body)
		}
	}
	resp, body := get(t, ts.URL+"/v1/owner?lon=2.35&lat=48.85") // Paris
	if resp.StatusCode != 200 || string(bytes.TrimSpace(body)) != `{"covered":false}` {
		t.Errorf("outside every grid: %d %s", resp.StatusCode, body)
	}

	for _, tc := range []struct{ query, want string }{
		{"lat=51.5", "lon is required"},
		{"lon=-0.1", "lat is required"},
		{"lon=abc&lat=51.5", "not a number"},
		{"lon=NaN&lat=51.5", "not a number"},
		{"lon=-0.1&lat=95", "outside [-90, 90]"},
		{"lon=200&lat=51.5", "outside [-180, 180]"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := get(t, ts.URL+"/v1/owner?"+tc.query)
			checkProblem(t, resp, body, 400, tc.want)
		})
	}
}

func TestOwnerBatch(t *testing.T) {
	ts := camdenServer(t)
	r := fixture.Camden(t)
	snap, _, err := owner.Load(context.Background(), fixture.CamdenStore(t))
	if err != nil {
		t.Fatal(err)
	}
	// Household points and random points over the borough's bounds.
	bound := r.Blocks.Proj.Unproject(r.Blocks.Area).Bound()
	rng := rand.New(rand.NewPCG(7, 8))
	var pts [][2]float64
	for i := 0; i < len(r.Blocks.Points); i += 3 {
		p := r.Blocks.Points[i].Point
		pts = append(pts, [2]float64{p[0], p[1]})
	}
	for range 20_000 {
		pts = append(pts, [2]float64{bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0]), bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])})
	}
	req, _ := json.Marshal(map[string]any{"points": pts})
	resp, body := post(t, ts.URL+"/v1/owner/batch", req)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var out struct {
		Owners []*string
		Grids  map[string]answer
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Owners) != len(pts) {
		t.Fatalf("%d owners for %d points", len(out.Owners), len(pts))
	}
	covered := 0
	for i, code := range out.Owners {
		want := snap.Lookup(orb.Point(pts[i]))
		switch {
		case code == nil && want.Covered, code != nil && (!want.Covered || *code != want.Grid.Code):
			t.Fatalf("point %d %v: batch says %v, lookup %+v", i, pts[i], code, want.Grid)
		case code != nil:
			covered++
			if g, ok := out.Grids[*code]; !ok || g.Grid.Code != *code || !g.Covered {
				t.Fatalf("grid %s missing or wrong in the grids map: %+v", *code, g)
			}
		}
	}
	if covered < len(r.Blocks.Points)/3 {
		t.Errorf("only %d points covered", covered)
	}

	many := bytes.Repeat([]byte("[0,0],"), 100_001)
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
		want   string
	}{
		{"empty", nil, 400, "empty body"},
		{"not json", []byte("points"), 400, "body is not"},
		{"unknown field", []byte(`{"pts": []}`), 400, "unknown field"},
		{"three numbers", []byte(`{"points": [[0, 0], [1, 2, 3]]}`), 400, "points[1] has 3 numbers"},
		{"out of range", []byte(`{"points": [[0, 0], [0, 91]]}`), 400, "points[1]"},
		{"too many points", append(append([]byte(`{"points":[`), many[:len(many)-1]...), "]}"...), 413, "at most 100000"},
		{"huge body", bytes.Repeat([]byte(" "), 17<<20), 413, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(t, ts.URL+"/v1/owner/batch", tc.body)
			checkProblem(t, resp, body, tc.status, tc.want)
		})
	}
}

func TestGridItems(t *testing.T) {
	ts := camdenServer(t)
	r := fixture.Camden(t)
	type page struct {
		Type     string
		Features []struct {
			ID         string
			Geometry   struct{ Type string }
			Properties struct {
				Code, Community string
				Households      int
				Blocks          int
				InBand          bool `json:"in_band"`
			}
		}
		Links                         []struct{ Href, Rel string }
		NumberMatched, NumberReturned int
	}
	// Follow next links from the first page to the last.
	url, seen, households, pages := ts.URL+"/collections/grids/items?limit=64", map[string]bool{}, 0, 0
	for url != "" {
		resp, body := get(t, url)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("%s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		pages++
		if p.Type != "FeatureCollection" || p.NumberMatched != len(r.Grids) || p.NumberReturned != len(p.Features) {
			t.Fatalf("page %d: type %q matched %d returned %d of %d", pages, p.Type, p.NumberMatched, p.NumberReturned, len(p.Features))
		}
		url = ""
		for _, l := range p.Links {
			if l.Rel == "next" {
				url = l.Href
			}
		}
		for _, f := range p.Features {
			if seen[f.Properties.Code] || f.ID != f.Properties.Code || f.Geometry.Type != "Polygon" {
				t.Fatalf("feature %s: repeated %v, id %q, geometry %s", f.Properties.Code, seen[f.Properties.Code], f.ID, f.Geometry.Type)
			}
			seen[f.Properties.Code] = true
			households += f.Properties.Households
			if f.Properties.Blocks < 1 || f.Properties.InBand != (f.Properties.Households >= 200 && f.Properties.Households <= 500) {
				t.Errorf("grid %s: %d blocks, in_band %v with %d households", f.Properties.Code, f.Properties.Blocks, f.Properties.InBand, f.Properties.Households)
			}
		}
	}
	if len(seen) != len(r.Grids) || households != 97534 || pages != (len(r.Grids)+63)/64 {
		t.Errorf("paging saw %d grids in %d pages holding %d households; want %d grids, 97534 households", len(seen), pages, households, len(r.Grids))
	}

	// A community, a box around a household point.
	g0 := r.Grids[0]
	comm := r.Blocks.Communities[g0.Community].Code
	_, body := get(t, ts.URL+"/collections/grids/items?community="+comm)
	var p page
	json.Unmarshal(body, &p)
	if len(p.Features) < 2 || p.NumberMatched != len(p.Features) {
		t.Errorf("community %s: %d features of %d matched", comm, len(p.Features), p.NumberMatched)
	}
	for _, f := range p.Features {
		if f.Properties.Community != comm {
			t.Errorf("community filter let %s of %s through", f.Properties.Code, f.Properties.Community)
		}
	}
	q := r.Blocks.Points[0].Point
	_, body = get(t, fmt.Sprintf("%s/collections/grids/items?bbox=%v,%v,%v,%v", ts.URL, q[0]-0.001, q[1]-0.001, q[0]+0.001, q[1]+0.001))
	p = page{}
	json.Unmarshal(body, &p)
	if len(p.Features) == 0 || len(p.Features) > 12 {
		t.Errorf("bbox around a household: %d grids", len(p.Features))
	}

	resp, body := get(t, ts.URL+"/collections/grids/items/"+g0.Code)
	var f struct {
		ID         string
		Properties struct{ Households int }
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &f) != nil || f.ID != g0.Code || f.Properties.Households != g0.Households {
		t.Errorf("item %s: %d %s", g0.Code, resp.StatusCode, body)
	}

	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/collections/grids/items/NOPE", 404, "NOPE"},
		{"/collections/grids/items?limit=0", 400, "limit"},
		{"/collections/grids/items?limit=1001", 400, "limit"},
		{"/collections/grids/items?limit=ten", 400, "limit"},
		{"/collections/grids/items?bbox=1,2,3", 400, "bbox"},
		{"/collections/grids/items?bbox=1,2,0,3", 400, "minimum exceeds"},
		{"/collections/grids/items?bbox=0,0,1,100", 400, "outside"},
		{"/collections/nothing", 404, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, ts.URL+tc.path)
			checkProblem(t, resp, body, tc.status, tc.want)
		})
	}
	for _, path := range []string{"/", "/conformance", "/collections", "/collections/grids"} {
		if resp, body := get(t, ts.URL+path); resp.StatusCode != 200 || !json.Valid(body) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
}

// FuzzOwnerBatch sends arbitrary bodies to the batch endpoint: every answer
// is a 200 or a problem document, never a 500.
func FuzzOwnerBatch(f *testing.F) {
	srv, err := api.New(context.Background(), fixture.CamdenStore(f), slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	for _, s := range []string{`{"points":[[-0.14,51.54]]}`, `{"points":[]}`, `{"points":[[1e400,0]]}`, `{"points":null}`, `[]`, `{"points":[["a","b"]]}`, ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/owner/batch", bytes.NewReader(body)))
		switch rec.Code {
		case 200:
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("invalid JSON answer to %q", body)
			}
		case 400, 413:
			if rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d without a problem document for %q", rec.Code, body)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
