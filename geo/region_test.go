package geo_test

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/internal/testdata"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// readPolygons reads the Polygon features of a GeoJSON file.
func readPolygons(tb testing.TB, path string) []orb.Polygon {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		tb.Fatal(err)
	}
	var polys []orb.Polygon
	for _, f := range fc.Features {
		if p, ok := f.Geometry.(orb.Polygon); ok {
			polys = append(polys, p)
		}
	}
	if len(polys) == 0 {
		tb.Fatalf("%s: no polygons", path)
	}
	return polys
}

// bruteForce answers by testing every polygon: the answers the index must
// give.
type bruteForce struct {
	polys  []orb.Polygon
	bounds []orb.Bound
}

func newBruteForce(polys []orb.Polygon) bruteForce {
	bf := bruteForce{polys: polys}
	for _, p := range polys {
		bf.bounds = append(bf.bounds, p.Bound())
	}
	return bf
}

// owners returns the first polygon that contains q by the crossing-number
// rule, and how many do.
func (bf bruteForce) owners(q orb.Point) (first, n int) {
	first = -1
	for i, p := range bf.polys {
		if bf.bounds[i].Contains(q) && geo.Contains(p, q) {
			if n == 0 {
				first = i
			}
			n++
		}
	}
	return first, n
}

// TestRegionIndexAgreesWithBruteForce checks the raster index on Camden's
// MSOAs and census output areas, which tile the borough: on random points,
// on every vertex and on every edge's midpoint (the points a shared edge
// must give to exactly one side).
func TestRegionIndexAgreesWithBruteForce(t *testing.T) {
	for _, tc := range []struct{ name, path string }{
		{"msoa", testdata.Bundled(t, "camden/msoa.geojson")},
		{"output areas", testdata.Shared(t, "camden/output_areas.geojson")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			polys := readPolygons(t, tc.path)
			ix := geo.NewRegionIndex(polys)
			bf := newBruteForce(polys)
			var b orb.Bound
			for i, p := range polys {
				if i == 0 {
					b = p.Bound()
				}
				b = b.Union(p.Bound())
			}
			rng := rand.New(rand.NewPCG(1, 2))
			covered, disagreeOrb := 0, 0
			for range 100_000 {
				q := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
				got, want := ix.Owner(q), first(bf.owners(q))
				if got != want {
					t.Fatalf("%v: index says %d, brute force %d", q, got, want)
				}
				if got >= 0 {
					covered++
					if !planar.PolygonContains(polys[got], q) {
						disagreeOrb++
					}
				}
			}
			// A random point is on no edge, so orb's test must agree.
			if disagreeOrb > 0 {
				t.Errorf("%d owners that orb's planar.PolygonContains denies", disagreeOrb)
			}
			if covered < 30_000 {
				t.Errorf("only %d of 100000 random points covered: the index misses polygons", covered)
			}
			// On vertices and edges: same answer as brute force. (These
			// polygons meet at T-junctions and rounded vertices, so some
			// boundary points lie in two of them; grids, whose outlines share
			// vertices exactly, are checked for that in package partition.)
			once, twice := 0, 0
			for _, p := range polys {
				for _, ring := range p {
					for k := 0; k+1 < len(ring); k++ {
						for _, q := range []orb.Point{ring[k], {(ring[k][0] + ring[k+1][0]) / 2, (ring[k][1] + ring[k+1][1]) / 2}} {
							want, n := bf.owners(q)
							if got := ix.Owner(q); got != want {
								t.Fatalf("boundary point %v: index says %d, brute force %d", q, got, want)
							}
							switch {
							case n == 1:
								once++
							case n > 1:
								twice++
							}
						}
					}
				}
			}
			t.Logf("%d polygons, %d of 100000 random points covered; boundary points: %d in one polygon, %d in several", len(polys), covered, once, twice)
		})
	}
}

func TestRegionIndexEdgeCases(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	right := orb.Polygon{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}
	holed := orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}
	tests := []struct {
		name  string
		polys []orb.Polygon
		q     orb.Point
		want  int
	}{
		{"no polygons", nil, orb.Point{0, 0}, -1},
		{"inside", []orb.Polygon{square}, orb.Point{0.5, 0.5}, 0},
		{"outside the bound", []orb.Polygon{square}, orb.Point{5, 5}, -1},
		{"NaN", []orb.Polygon{square}, orb.Point{nanf(), 0.5}, -1},
		{"shared edge goes to one side", []orb.Polygon{square, right}, orb.Point{1, 0.5}, 1},
		{"in the hole", []orb.Polygon{holed}, orb.Point{2, 2}, -1},
		{"around the hole", []orb.Polygon{holed}, orb.Point{0.5, 2}, 0},
		{"overlap: lowest index", []orb.Polygon{square, square}, orb.Point{0.5, 0.5}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := geo.NewRegionIndex(tc.polys).Owner(tc.q); got != tc.want {
				t.Errorf("Owner(%v) = %d, want %d", tc.q, got, tc.want)
			}
		})
	}
}

func first(i, _ int) int { return i }

func nanf() float64 { var z float64; return z / z }

func BenchmarkRegionIndexOwner(b *testing.B) {
	polys := readPolygons(b, testdata.Shared(b, "camden/output_areas.geojson"))
	ix := geo.NewRegionIndex(polys)
	bd := polys[0].Bound()
	for _, p := range polys {
		bd = bd.Union(p.Bound())
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([]orb.Point, 1<<16)
	for i := range pts {
		pts[i] = orb.Point{bd.Min[0] + rng.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + rng.Float64()*(bd.Max[1]-bd.Min[1])}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Owner(pts[i&(len(pts)-1)])
	}
}
