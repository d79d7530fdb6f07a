package partition

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/testdata/camden"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var camdenOnce struct {
	once sync.Once
	res  *Result
	rep  *Report
	err  error
}

// camdenRun partitions Camden once for all the tests that read it.
func camdenRun(t *testing.T) (*Result, *Report) {
	t.Helper()
	camdenOnce.once.Do(func() {
		camdenOnce.res, camdenOnce.rep, camdenOnce.err = Run(context.Background(), camden.Paths(t), Options{Band: DefaultBand, Seed: 1})
	})
	if camdenOnce.err != nil {
		t.Fatal(camdenOnce.err)
	}
	return camdenOnce.res, camdenOnce.rep
}

// TestCamdenInvariants checks the partition of real Camden data against the
// rules every grid map must keep, and the quality goals of the partitioner.
func TestCamdenInvariants(t *testing.T) {
	r, rep := camdenRun(t)
	q := rep.Quality
	t.Logf("quality: %+v", q)

	// 97,534 households in the 2011 census, all inside the borough.
	if q.Households != 97534 {
		t.Errorf("households in grids = %d, want 97534", q.Households)
	}
	checkTiling(t, q)
	if q.BoundaryOnFeature < 0.99 {
		t.Errorf("grid boundary within 3 m of a feature: %.4f, want ≥ 0.99", q.BoundaryOnFeature)
	}
	if q.InBandShare != 1 {
		t.Errorf("grids within [200, 500]: %.4f, want all", q.InBandShare)
	}
	if q.PolsbyPopperMedian < 0.45 {
		t.Errorf("Polsby–Popper median %.3f, want ≥ 0.45", q.PolsbyPopperMedian)
	}
	// The goal for main features through grids is ≤ 10 %; this ceiling holds
	// what the partitioner reaches today (see the README on why the rest is
	// out of reach of these blocks), so that nothing slips back unnoticed.
	// Blocks that meet only at a street corner are no neighbours
	// (minContact): joined there, a grid spanned a main road with no length
	// of it inside, and was two lumps. Main roads as dear to straddle as
	// railways, and 64 trees rather than 8, brought it from 0.233 to 0.204;
	// the annealer to 0.156.
	if q.MajorThrough > 0.18 {
		t.Errorf("major features through grids: %.3f, want ≤ 0.18", q.MajorThrough)
	}
	// Most of that crosses ground where nobody lives (railway lands, parks,
	// road islands); between homes of the same grid it is far rarer.
	if q.MajorBetweenHouseholds > 0.055 || q.MajorBetweenHouseholds >= q.MajorThrough {
		t.Errorf("major features between households of one grid: %.3f, want ≤ 0.055 and below the %.3f through grids", q.MajorBetweenHouseholds, q.MajorThrough)
	}
	// Grids that hold together through a corner or a strip a few metres
	// wide: 15 of 280 while blocks that touched at a corner were neighbours,
	// 4 before mendNecks, 3 after it: one neck lies inside a single block,
	// one grid's lumps are each too heavy for the grids beside them, one
	// lump could leave only across a main feature.
	if q.Necked > 3 {
		t.Errorf("%d of %d grids hold together only through a neck under %.0f m, want ≤ 3", q.Necked, q.Grids, minContact)
	}
	// Almost none of it is a choice: a grid spans a main feature where a
	// piece on one side of it cannot be a grid alone.
	if why := q.MajorThroughWhy; why.Chosen > 0.01 {
		t.Errorf("main features through grids between pieces that could each be a grid: %.4f (%+v), want ≤ 0.01", why.Chosen, why)
	}
	// The King's Cross and St Pancras railway lands: their tracks fan out
	// into the termini, and the one grid that holds them carries the most.
	if most := q.MajorThroughMost; len(most) == 0 || !strings.HasPrefix(most[0].Code, "E02000187") || most[0].Share < 0.04 {
		t.Errorf("grids most crossed by main features: %+v, want the railway lands' grid in E02000187 first, with ≥ 4 points", most)
	} else {
		sum := 0.0
		for i, g := range most {
			sum += g.Share
			if i > 0 && g.Share > most[i-1].Share {
				t.Errorf("grids most crossed by main features are not in order: %+v", most)
			}
		}
		if len(most) > mostThrough || sum > q.MajorThrough {
			t.Errorf("%d grids most crossed share %.4f, want ≤ %d grids and ≤ the %.4f through all", len(most), sum, mostThrough, q.MajorThrough)
		}
	}
	if q.Grids < 97534/500 || q.Grids > 97534/200 {
		t.Errorf("%d grids cannot all be within the band", q.Grids)
	}

	// Every out-of-band grid says why, and the report lists it.
	for _, g := range r.Grids {
		if !r.Band.Contains(g.Households) && g.Exception == "" {
			t.Errorf("grid %s holds %d households and has no exception", g.Code, g.Households)
		}
		if r.Band.Contains(g.Households) && g.Exception != "" {
			t.Errorf("grid %s is in the band but has exception %q", g.Code, g.Exception)
		}
	}
}

func TestCamdenGeoJSON(t *testing.T) {
	r, _ := camdenRun(t)
	fc := r.FeatureCollection()
	codeRE := regexp.MustCompile(`^E020\d{5}\d{3}$`)
	seen := map[string]bool{}
	total := 0
	for i, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		if !codeRE.MatchString(code) {
			t.Errorf("feature %d: code %q is not an MSOA code and a 3-digit serial", i, code)
		}
		if seen[code] {
			t.Errorf("code %s twice", code)
		}
		seen[code] = true
		if comm, _ := f.Properties["community"].(string); len(code) < len(comm) || code[:len(comm)] != comm {
			t.Errorf("grid %s: code does not start with its community %q", code, comm)
		}
		total += f.Properties["households"].(int)
		p, ok := f.Geometry.(orb.Polygon)
		if !ok {
			t.Errorf("grid %s is a %T, want a Polygon", code, f.Geometry)
			continue
		}
		// RFC 7946: exterior counter-clockwise, holes clockwise, WGS84.
		for ri, ring := range p {
			want := orb.CCW
			if ri > 0 {
				want = orb.CW
			}
			if ring.Orientation() != want {
				t.Errorf("grid %s ring %d is wound %v", code, ri, ring.Orientation())
			}
		}
		if c := p.Bound().Center(); c[0] < -0.22 || c[0] > -0.10 || c[1] < 51.5 || c[1] > 51.58 {
			t.Errorf("grid %s centred at %v, outside Camden", code, c)
		}
	}
	if total != 97534 {
		t.Errorf("households over features = %d, want 97534", total)
	}
	// Serials start at 001 in every community.
	for _, c := range r.Blocks.Communities {
		if !seen[c.Code+"001"] {
			t.Errorf("community %s has no grid 001", c.Code)
		}
	}
}

// TestCamdenOtherSeeds checks that the quality goals hold for other seeds
// than the demo's, not by the luck of one: seeds 2 and 3 ended below the
// Polsby–Popper goal (0.444 and 0.448) before grids were rounded off.
func TestCamdenOtherSeeds(t *testing.T) {
	for _, seed := range []uint64{2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			_, rep := runReal(t, camden.Paths(t), seed)
			q := rep.Quality
			if q.InBandShare != 1 {
				t.Errorf("in band %.4f, want all", q.InBandShare)
			}
			if q.PolsbyPopperMedian < 0.45 || q.BoundaryOnFeature < 0.99 {
				t.Errorf("Polsby–Popper median %.3f, boundary on features %.4f: want ≥ 0.45 and ≥ 0.99", q.PolsbyPopperMedian, q.BoundaryOnFeature)
			}
		})
	}
}

// TestCamdenDeterministic checks that the same input and seed give
// byte-identical GeoJSON.
func TestCamdenDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Camden partition a second time")
	}
	r1, _ := camdenRun(t)
	r2, _, err := Run(context.Background(), camden.Paths(t), Options{Band: DefaultBand, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	a, b := marshal(t, r1.FeatureCollection()), marshal(t, r2.FeatureCollection())
	if !bytes.Equal(a, b) {
		t.Fatalf("two runs with seed 1 differ (%d and %d bytes)", len(a), len(b))
	}
}

func marshal(t *testing.T, fc *geojson.FeatureCollection) []byte {
	t.Helper()
	data, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCamdenGridsOwnEveryPointOnce checks ownership on the real grids, whose
// outlines share vertices exactly: every household point is owned by the
// grid of its block, and every vertex and edge midpoint of every outline is
// owned by one grid at most (by exactly one unless it lies on the borough's
// edge), with the raster index agreeing with a test of every grid.
func TestCamdenGridsOwnEveryPointOnce(t *testing.T) {
	r, _ := camdenRun(t)
	b := r.Blocks
	polys := make([]orb.Polygon, len(r.Grids))
	bounds := make([]orb.Bound, len(r.Grids))
	for gi, g := range r.Grids {
		polys[gi], bounds[gi] = g.Shape, g.Shape.Bound()
	}
	ix := geo.NewRegionIndex(polys)
	owners := func(q orb.Point) (first, n int) {
		first = -1
		for gi, p := range polys {
			if bounds[gi].Contains(q) && geo.Contains(p, q) {
				if n == 0 {
					first = gi
				}
				n++
			}
		}
		return first, n
	}
	for i, h := range b.Points {
		bi := b.HouseholdBlock[i]
		if bi < 0 {
			continue
		}
		if got, want := ix.Owner(b.Proj.Forward(h.Point)), r.BlockGrid[bi]; got != want {
			t.Fatalf("household point %d at %v: owned by grid %d, its block is in grid %d", i, h.Point, got, want)
		}
	}
	once, none := 0, 0
	for _, p := range polys {
		for _, ring := range p {
			for k := 0; k+1 < len(ring); k++ {
				for _, q := range []orb.Point{ring[k], {(ring[k][0] + ring[k+1][0]) / 2, (ring[k][1] + ring[k+1][1]) / 2}} {
					want, n := owners(q)
					if n > 1 {
						t.Fatalf("outline point %v owned by %d grids", b.Proj.Inverse(q), n)
					}
					if got := ix.Owner(q); got != want {
						t.Fatalf("outline point %v: index says grid %d, a test of every grid %d", b.Proj.Inverse(q), got, want)
					}
					if n == 1 {
						once++
					} else {
						none++
					}
				}
			}
		}
	}
	t.Logf("outline points: %d owned once, %d by none (the borough's edge)", once, none)
	if none > once/4 {
		t.Errorf("%d outline points owned by no grid against %d owned once: shared edges are lost", none, once)
	}
}
