package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/owner"
	"github.com/gridline/gridline/store"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
)

func TestImportCamden(t *testing.T) {
	ctx := context.Background()
	r := fixture.Camden(t)
	s, path := fixture.TempStore(t)
	im := fixture.CamdenImport(t)
	if err := s.Import(ctx, im); err != nil {
		t.Fatal(err)
	}

	grids, err := s.Grids(ctx, store.GridQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(grids) != len(r.Grids) {
		t.Fatalf("stored %d grids, partitioned %d", len(grids), len(r.Grids))
	}
	total := 0
	for i, g := range grids {
		total += g.Households
		if i > 0 && grids[i-1].Code >= g.Code {
			t.Fatalf("grids out of code order: %s then %s", grids[i-1].Code, g.Code)
		}
		if _, ok := g.Shape.(orb.Polygon); !ok {
			t.Errorf("grid %s stored as %T", g.Code, g.Shape)
		}
		if g.Version != 1 || g.Jurisdiction != "camden" {
			t.Errorf("grid %s: jurisdiction %q version %d", g.Code, g.Jurisdiction, g.Version)
		}
	}
	if total != 97534 {
		t.Errorf("stored grids hold %d households, want 97534", total)
	}

	// Paging by code walks every grid once.
	seen, after := 0, ""
	for {
		page, err := s.Grids(ctx, store.GridQuery{After: after, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		seen += len(page)
		after = page[len(page)-1].Code
	}
	if seen != len(grids) {
		t.Errorf("paging saw %d grids, want %d", seen, len(grids))
	}

	// Filters: a community, a bounding box around one grid's centre.
	g0 := grids[0]
	inComm, err := s.Grids(ctx, store.GridQuery{Community: g0.Community})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.CountGrids(ctx, store.GridQuery{Community: g0.Community})
	if err != nil || n != len(inComm) || n < 2 {
		t.Errorf("community %s: %d grids listed, %d counted (%v)", g0.Community, len(inComm), n, err)
	}
	c := g0.Shape.Bound().Center()
	box := orb.Bound{Min: c, Max: c}
	near, err := s.Grids(ctx, store.GridQuery{BBox: &box})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range near {
		found = found || g.Code == g0.Code
	}
	if !found || len(near) > 10 {
		t.Errorf("bbox at %v: %d grids, %s among them: %v", c, len(near), g0.Code, found)
	}

	got, err := s.Grid(ctx, g0.Code)
	if err != nil || got.Households != g0.Households {
		t.Errorf("Grid(%s) = %d households, %v; want %d", g0.Code, got.Households, err, g0.Households)
	}
	if _, err := s.Grid(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown code: %v, want ErrNotFound", err)
	}

	units, err := s.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	levels := map[string]int{}
	for _, u := range units {
		levels[u.Level]++
	}
	if levels["district"] != 1 || levels["community"] != len(r.Blocks.Communities) {
		t.Errorf("units by level %v, want 1 district and %d communities", levels, len(r.Blocks.Communities))
	}

	// The same id again, or another jurisdiction reusing Camden's community
	// codes, is refused and writes nothing.
	if err := s.Import(ctx, im); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second import of camden: %v, want ErrConflict", err)
	}
	im.ID = "camden2"
	if err := s.Import(ctx, im); !errors.Is(err, store.ErrConflict) {
		t.Errorf("import reusing community codes: %v, want ErrConflict", err)
	}
	js, err := s.Jurisdictions(ctx)
	if err != nil || len(js) != 1 || js[0].ID != "camden" || js[0].Version != 1 {
		t.Errorf("jurisdictions after refused imports: %+v, %v", js, err)
	}

	// Reopening runs no migration twice and finds everything.
	s.Close()
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, err := s2.CountGrids(ctx, store.GridQuery{}); err != nil || n != len(grids) {
		t.Errorf("after reopening: %d grids, %v", n, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, dsn string }{
		{"empty path", ""},
		{"postgres not built", "postgres://u:secret@localhost/db"},
		{"missing folder", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(ctx, tc.dsn)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if got := err.Error(); len(got) == 0 || strings.Contains(got, "secret") {
				t.Errorf("error %q", got)
			}
		})
	}
}

// TestImportTownships puts a township level between Camden and its MSOAs:
// the borough split at a meridian into a west and an east township. Each
// community must go to the half that holds most of its area (measured here
// by clipping to each half), and ownership answers carry the township.
func TestImportTownships(t *testing.T) {
	ctx := context.Background()
	r := fixture.Camden(t)
	b := r.Blocks.Proj.Unproject(r.Blocks.Area).Bound()
	mid := (b.Min[0] + b.Max[0]) / 2
	halves := []orb.Bound{
		{Min: b.Min, Max: orb.Point{mid, b.Max[1]}},
		{Min: orb.Point{mid, b.Min[1]}, Max: b.Max},
	}
	townships := []datasets.Region{
		{Code: "T-WEST", Name: "West", Shape: orb.MultiPolygon{halves[0].ToPolygon()}},
		{Code: "T-EAST", Name: "East", Shape: orb.MultiPolygon{halves[1].ToPolygon()}},
	}
	st, _ := fixture.TempStore(t)
	im := fixture.CamdenImport(t)
	im.Townships = townships
	if err := st.Import(ctx, im); err != nil {
		t.Fatal(err)
	}
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.Parent
	}
	if parent["T-WEST"] != "camden" || parent["T-EAST"] != "camden" {
		t.Errorf("townships' parents: %q, %q", parent["T-WEST"], parent["T-EAST"])
	}
	for _, c := range r.Blocks.Communities {
		shape := r.Blocks.Proj.Unproject(c.Shape.Clone()).(orb.MultiPolygon)
		west := planar.Area(clip.MultiPolygon(halves[0], shape.Clone()))
		east := planar.Area(clip.MultiPolygon(halves[1], shape.Clone()))
		want := map[bool]string{true: "T-WEST", false: "T-EAST"}[west > east]
		if parent[c.Code] != want {
			t.Errorf("community %s (%.2g west, %.2g east): parent %q, want %s", c.Code, west, east, parent[c.Code], want)
		}
	}
	snap, _, err := owner.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	p := r.Blocks.Points[0].Point
	a := snap.Lookup(p)
	if !a.Covered || a.Township == nil || a.Township.Code != parent[a.Community.Code] || a.District.Code != "camden" {
		t.Errorf("owner of %v: %+v", p, a)
	}
}
