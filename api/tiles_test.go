package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestTilesHTTP checks tiles as map clients fetch them: TileJSON, content
// type, gzip, ETag and 304, caching by revision, 204 and 400 — and that an
// edit changes the ETag of the tiles it touches and of no other.
func TestTilesHTTP(t *testing.T) {
	st, ts, planner := plannerServer(t)
	resp, out := get(t, ts.URL+"/tiles/tiles.json")
	var tj struct {
		TileJSON     string `json:"tilejson"`
		Tiles        []string
		Bounds       []float64
		VectorLayers []struct {
			ID     string
			Fields map[string]string
		} `json:"vector_layers"`
	}
	if json.Unmarshal(out, &tj); resp.StatusCode != 200 || tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || len(tj.Bounds) != 4 || len(tj.VectorLayers) != 6 {
		t.Fatalf("tiles.json: %d %s", resp.StatusCode, out)
	}
	// A household's tile at zoom 15, and a tile far from Camden.
	r := fixture.Camden(t)
	bi := r.Blocks.HouseholdBlock[0]
	p := r.Blocks.Points[0].Point
	here := maptile.At(p, 15)
	url := func(tl maptile.Tile) string {
		return strings.NewReplacer("{z}", fmt.Sprint(tl.Z), "{x}", fmt.Sprint(tl.X), "{y}", fmt.Sprint(tl.Y)).Replace(tj.Tiles[0])
	}
	fetch := func(u string, header ...string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", u, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		tr := &http.Transport{DisableCompression: true} // see the gzip as sent
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, plain := fetch(url(here))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" || resp.Header.Get("ETag") == "" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || len(plain) == 0 {
		t.Fatalf("tile %v: %d %v", here, resp.StatusCode, resp.Header)
	}
	etag := resp.Header.Get("ETag")
	resp, zipped := fetch(url(here), "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("no gzip: %v", resp.Header)
	} else if zr, err := gzip.NewReader(bytes.NewReader(zipped)); err != nil {
		t.Error(err)
	} else if un, _ := io.ReadAll(zr); !bytes.Equal(un, plain) {
		t.Error("the gzipped tile is not the tile")
	}
	if resp, _ := fetch(url(here), "If-None-Match", etag); resp.StatusCode != 304 {
		t.Errorf("If-None-Match: %d", resp.StatusCode)
	}
	if resp, _ := fetch(strings.Split(url(here), "?")[0]); resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("without rev: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	if resp, _ := fetch(url(maptile.At(orb.Point{2.35, 48.85}, 15))); resp.StatusCode != 204 {
		t.Errorf("a tile over Paris: %d", resp.StatusCode)
	}
	for _, path := range []string{"/tiles/21/0/0.mvt", "/tiles/3/8/0.mvt", "/tiles/a/0/0.mvt", "/tiles/3/0/0.png"} {
		resp, out := get(t, ts.URL+path)
		checkProblem(t, resp, out, 400, "")
	}

	// Move the household's block to a neighbouring grid (forced: the band
	// is not what this test is about).
	s, err := st.State(t.Context(), "camden")
	if err != nil {
		t.Fatal(err)
	}
	to := ""
	for _, n := range s.Adjacent[bi] {
		if g := s.GridOf[n]; g != s.GridOf[bi] && s.Grids[g].Community == s.Grids[s.GridOf[bi]].Community {
			to = g
		}
	}
	far := maptile.At(orb.Point{r.Blocks.Proj.Inverse(r.Blocks.Area.Bound().Min)[0] + 0.02, 51.555}, 15)
	_, farBefore := fetch(url(far))
	resp, out = do(t, "POST", ts.URL+"/v1/jurisdictions/camden/edits", planner, `"v1"`,
		fmt.Sprintf(`{"op": "move", "blocks": [%d], "to": %q, "reason": "tile test", "force": true}`, bi, to))
	if resp.StatusCode != 200 {
		t.Fatalf("edit: %d %s", resp.StatusCode, out)
	}
	_, out = get(t, ts.URL+"/tiles/tiles.json")
	json.Unmarshal(out, &tj)
	resp, _ = fetch(url(here), "If-None-Match", etag)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == etag {
		t.Errorf("the edited tile kept its ETag: %d %s", resp.StatusCode, resp.Header.Get("ETag"))
	}
	if _, farAfter := fetch(url(far)); len(farBefore) == 0 || !bytes.Equal(farBefore, farAfter) {
		t.Errorf("a tile far from the edit changed (%d → %d bytes)", len(farBefore), len(farAfter))
	}
}
