package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gridline/gridline/api"
	"github.com/gridline/gridline/internal/fixture"
)

// TestMapInChromium loads the planners' map in Debian's Chromium: the map
// draws Camden's grids (the screenshot is not blank and shows the fill
// colours of grids in the band) with no error in the console; a block
// painted into a neighbouring grid is in that grid on the next tiles.
func TestMapInChromium(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Fatalf("Chromium is not installed (scripts/test installs Debian's chromium): %v", err)
	}
	if _, err := os.Stat(filepath.Join("node_modules", "playwright-core")); err != nil {
		t.Fatalf("playwright-core is not installed: run npm ci --prefix web (scripts/test does): %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	st := fixture.CamdenStore(t)
	srv, err := api.New(ctx, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	key, err := st.CreateKey(ctx, "ana", "planner")
	if err != nil {
		t.Fatal(err)
	}

	// A household's block and a neighbouring grid of its community.
	r := fixture.Camden(t)
	s, err := st.State(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	point, block, from, to := -1, -1, "", ""
	for i, b := range r.Blocks.HouseholdBlock {
		if b < 0 || s.Blocks[b].AreaM2 < 3000 {
			continue // a block big enough to hit at zoom 16
		}
		for _, n := range s.Adjacent[b] {
			if g := s.GridOf[n]; g != s.GridOf[b] && s.Grids[g].Community == s.Grids[s.GridOf[b]].Community {
				point, block, from, to = i, b, s.GridOf[b], g
			}
		}
		if block >= 0 {
			break
		}
	}
	p := r.Blocks.Points[point].Point
	out := t.TempDir()
	cmd := exec.Command("node", "browser.mjs", ts.URL+"/", key, out, fmt.Sprint(block), to, fmt.Sprint(p[0]), fmt.Sprint(p[1]))
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node browser.mjs: %v", err)
	}
	var res struct {
		Errors        []string
		Before, After string
		Status        int
		Answer        string
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(res.Errors) > 0 {
		t.Errorf("console errors: %q", res.Errors)
	}
	if res.Before != from || res.Status != 200 || res.After != to {
		t.Errorf("paint block %d from %s to %s: the map showed %q, the edit answered %d (%q), then the map showed %q", block, from, to, res.Before, res.Status, res.Answer, res.After)
	}

	f, err := os.Open(filepath.Join(out, "map.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	colours := map[[3]uint32]int{}
	green := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X-340; x += 2 { // the map, not the panel
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}]++
			if g>>8 > r>>8+20 && g>>8 > b>>8+20 {
				green++ // grids in the band are drawn in greens
			}
		}
	}
	if len(colours) < 20 || green < 1000 {
		t.Errorf("the map looks blank: %d colours, %d green pixels", len(colours), green)
	}
	t.Logf("map: %d colours, %d green pixels; block %d painted from %s into %s", len(colours), green, block, from, to)
}
