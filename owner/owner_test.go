package owner_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/owner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func camdenSnapshot(tb testing.TB) *owner.Snapshot {
	tb.Helper()
	s, _, err := owner.Load(context.Background(), fixture.CamdenStore(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestLookupCamden checks ownership on the stored Camden grids: every
// household point is owned by the grid its block was put in, with the
// community and the district above; random points agree with orb's
// point-in-polygon test on the stored outlines; outside is "not covered".
func TestLookupCamden(t *testing.T) {
	r := fixture.Camden(t)
	snap := camdenSnapshot(t)
	if snap.Grids() != len(r.Grids) {
		t.Fatalf("snapshot holds %d grids, want %d", snap.Grids(), len(r.Grids))
	}
	b := r.Blocks
	for i, h := range b.Points {
		bi := b.HouseholdBlock[i]
		if bi < 0 {
			continue
		}
		g := r.Grids[r.BlockGrid[bi]]
		a := snap.Lookup(h.Point)
		if !a.Covered || a.Grid.Code != g.Code {
			t.Fatalf("household point %d at %v: owner %+v, want grid %s", i, h.Point, a, g.Code)
		}
		if a.Community.Code != b.Communities[g.Community].Code || a.District.Code != "camden" || a.District.Name != "London Borough of Camden" {
			t.Fatalf("household point %d: chain %+v %+v", i, a.Community, a.District)
		}
	}

	fc := r.FeatureCollection()
	bound := fc.Features[0].Geometry.Bound()
	for _, f := range fc.Features {
		bound = bound.Union(f.Geometry.Bound())
	}
	bounds := make([]orb.Bound, len(fc.Features))
	for i, f := range fc.Features {
		bounds[i] = f.Geometry.Bound()
	}
	rng := rand.New(rand.NewPCG(3, 4))
	covered := 0
	for range 20_000 {
		p := orb.Point{bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0]), bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])}
		a := snap.Lookup(p)
		want := ""
		for i, f := range fc.Features {
			if bounds[i].Contains(p) && planar.PolygonContains(f.Geometry.(orb.Polygon), p) {
				want = f.Properties.MustString("code")
			}
		}
		if got := map[bool]string{true: a.Grid.Code}[a.Covered]; got != want {
			t.Fatalf("%v: owner %q, orb says %q", p, got, want)
		}
		if a.Covered {
			covered++
		}
	}
	if covered < 5000 {
		t.Errorf("only %d of 20000 points in the borough's bounds covered", covered)
	}

	for _, p := range []orb.Point{{0, 0}, {-0.3, 51.5}, {181, 0}} {
		a := snap.Lookup(p)
		raw, _ := json.Marshal(a)
		if a.Covered || string(raw) != `{"covered":false}` {
			t.Errorf("%v: %s, want not covered", p, raw)
		}
	}
	raw, err := json.Marshal(snap.Lookup(b.Points[0].Point))
	if err != nil {
		t.Fatal(err)
	}
	var shape map[string]any
	if err := json.Unmarshal(raw, &shape); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"covered", "grid", "community", "township", "district", "workers"} {
		if _, ok := shape[k]; !ok {
			t.Errorf("answer %s lacks %q", raw, k)
		}
	}
}

// BenchmarkLookup measures in-process lookups of points spread evenly over
// Camden's bounds (about half of them outside the borough's outline).
func BenchmarkLookup(b *testing.B) {
	snap := camdenSnapshot(b)
	r := fixture.Camden(b)
	bound := r.Blocks.Proj.Unproject(r.Blocks.Area).Bound()
	rng := rand.New(rand.NewPCG(5, 6))
	pts := make([]orb.Point, 1<<16)
	for i := range pts {
		pts[i] = orb.Point{bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0]), bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		snap.Lookup(pts[i&(len(pts)-1)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlookups/s")
}

// BenchmarkLoad measures building a snapshot of Camden's grids from the
// store: what every edit pays before its answer.
func BenchmarkLoad(b *testing.B) {
	st := fixture.CamdenStore(b)
	for b.Loop() {
		if _, _, err := owner.Load(context.Background(), st); err != nil {
			b.Fatal(err)
		}
	}
}
