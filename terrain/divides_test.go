package terrain

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/internal/testdata"
	"github.com/paulmach/orb"
)

// On Andorra's SRTM tile, divides must be ridges: their vertices stand well
// above the mean of the terrain around them.
func TestDividesAreHighGround(t *testing.T) {
	d, err := datasets.ReadHGT(testdata.Shared(t, "andorra/N42E001.hgt.zip"))
	if err != nil {
		t.Fatal(err)
	}
	bound := orb.Bound{Min: orb.Point{1.40, 42.42}, Max: orb.Point{1.79, 42.66}} // Andorra
	lines := divides(t, d, bound)
	if len(lines) < 20 {
		t.Fatalf("%d divides over Andorra's mountains, want many", len(lines))
	}
	elev := func(p orb.Point) float64 {
		c := int(math.Round((p[0] - d.West) / d.DX))
		r := int(math.Round((d.North - p[1]) / d.DY))
		return float64(d.At(min(max(r, 0), d.H-1), min(max(c, 0), d.W-1)))
	}
	// Means over the samples that hold a height (voids are NaN).
	var on, n float64
	for _, l := range lines {
		for _, p := range l {
			if e := elev(p); !math.IsNaN(e) {
				on += e
				n++
			}
		}
	}
	var all, m float64
	for lat := bound.Min[1]; lat < bound.Max[1]; lat += 0.005 {
		for lon := bound.Min[0]; lon < bound.Max[0]; lon += 0.005 {
			if e := elev(orb.Point{lon, lat}); !math.IsNaN(e) {
				all += e
				m++
			}
		}
	}
	t.Logf("%d divides; mean elevation on them %.0f m, of the area %.0f m", len(lines), on/n, all/m)
	if !(on/n >= all/m+100) {
		t.Errorf("divides average %.0f m, the area %.0f m: not ridges", on/n, all/m)
	}
}

// A plane tilted to the east drains into one stream per row band and has no
// divide worth the name.
func TestDividesOfAPlane(t *testing.T) {
	d := degreeSquare(func(_, c int) float64 { return float64(2000 - c) })
	lines, err := Divides(context.Background(), d, orb.Bound{Min: orb.Point{0.1, 0.1}, Max: orb.Point{0.2, 0.2}}, Options{MinLength: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Bound().Max[1]-l.Bound().Min[1] > 0.01 {
			t.Errorf("a plane has a divide running north–south: %v", l.Bound())
		}
	}
}

func TestReadHGTRejects(t *testing.T) {
	if _, err := datasets.ReadHGT("elevation.hgt"); err == nil {
		t.Error("a tile without a position in its name was read")
	}
}

// The same terrain read from GeoTIFFs (written by GDAL: scripts/dem-fixtures)
// gives the same divides as from the SRTM tile, to rounding: from a float32,
// DEFLATE-compressed and tiled window of the tile, and from its west and
// east halves in two encodings, joined.
func TestDividesFromGeoTIFF(t *testing.T) {
	bound := orb.Bound{Min: orb.Point{1.4135781, 42.4288238}, Max: orb.Point{1.7863837, 42.6559357}} // Andorra's boundary
	hgt, err := datasets.ReadHGT(testdata.Shared(t, "andorra/N42E001.hgt.zip"))
	if err != nil {
		t.Fatal(err)
	}
	want := divides(t, hgt, bound)
	fixture := func(name string) string { return filepath.Join(testdata.Root(t), "datasets/testdata", name) }
	for _, tc := range []struct {
		name  string
		files []string
	}{
		{"one GeoTIFF", []string{fixture("andorra-f32-deflate-tiled.tif")}},
		{"two halves joined", []string{fixture("andorra-west.tif"), fixture("andorra-east.tif")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, src, err := datasets.ReadDEMs(tc.files, bound)
			if err != nil || len(src.Used) != len(tc.files) {
				t.Fatal(src, err)
			}
			if d.W*d.H >= 528*360 {
				t.Errorf("read %d × %d samples: the whole file, not the window around the bound", d.W, d.H)
			}
			got := divides(t, d, bound)
			if len(got) != len(want) {
				t.Fatalf("%d divides from the GeoTIFF, %d from the tile", len(got), len(want))
			}
			var worst float64
			for i := range want {
				if len(got[i]) != len(want[i]) {
					t.Fatalf("divide %d: %d vertices from the GeoTIFF, %d from the tile", i, len(got[i]), len(want[i]))
				}
				for k := range want[i] {
					worst = max(worst, math.Abs(got[i][k][0]-want[i][k][0]), math.Abs(got[i][k][1]-want[i][k][1]))
				}
			}
			t.Logf("%d divides; vertices at most %.1e° apart", len(want), worst)
			if worst > 1e-9 {
				t.Errorf("vertices up to %g° apart", worst)
			}
		})
	}
}

// The same terrain sampled three times as finely (the SRTM3 tile
// interpolated to 1″) gives about the same divides: Options count in 3″
// cells, whatever the DEM's.
func TestDividesKeepAcrossResolutions(t *testing.T) {
	bound := orb.Bound{Min: orb.Point{1.45, 42.45}, Max: orb.Point{1.65, 42.60}}
	coarse, err := datasets.ReadHGT(testdata.Shared(t, "andorra/N42E001.hgt.zip"))
	if err != nil {
		t.Fatal(err)
	}
	// The window of the tile around the bound, at three samples a cell.
	c0, r0 := int((bound.Min[0]-coarse.West)/coarse.DX)-10, int((coarse.North-bound.Max[1])/coarse.DY)-10
	w, h := int((bound.Max[0]-bound.Min[0])/coarse.DX)+20, int((bound.Max[1]-bound.Min[1])/coarse.DY)+20
	fine := &datasets.DEM{
		West: coarse.West + float64(c0)*coarse.DX, North: coarse.North - float64(r0)*coarse.DY,
		DX: coarse.DX / 3, DY: coarse.DY / 3, W: 3*(w-1) + 1, H: 3*(h-1) + 1,
	}
	fine.Z = make([]float32, fine.W*fine.H)
	for r := range fine.H {
		for c := range fine.W {
			rr, cc := r0+r/3, c0+c/3
			fr, fc := float32(r%3)/3, float32(c%3)/3
			at := func(dr, dc int) float32 { return coarse.At(min(rr+dr, coarse.H-1), min(cc+dc, coarse.W-1)) }
			fine.Z[r*fine.W+c] = (1-fr)*((1-fc)*at(0, 0)+fc*at(0, 1)) + fr*((1-fc)*at(1, 0)+fc*at(1, 1))
		}
	}
	length := func(ls []orb.LineString) (n float64) {
		for _, l := range ls {
			for i := 1; i < len(l); i++ {
				n += math.Hypot((l[i][0]-l[i-1][0])*math.Cos(42.5*math.Pi/180), l[i][1]-l[i-1][1]) * 111_320
			}
		}
		return n
	}
	want := divides(t, coarse, bound)
	got := divides(t, fine, bound)
	// How much of the fine divides lies within two coarse cells of a coarse one.
	near, all := 0, 0
	for _, l := range got {
		for _, p := range l {
			all++
			for _, s := range want {
				if s.Bound().Pad(2*coarse.DX).Contains(p) && distanceTo(s, p) < 2*coarse.DX {
					near++
					break
				}
			}
		}
	}
	lc, lf := length(want), length(got)
	t.Logf("3″: %d divides, %.0f km; 1″: %d divides, %.0f km, %.0f%% of its vertices within two 3″ cells of a 3″ divide", len(want), lc/1000, len(got), lf/1000, 100*float64(near)/float64(all))
	if lf < 0.7*lc || lf > 1.4*lc {
		t.Errorf("%.0f km of divides at 1″ against %.0f km at 3″", lf/1000, lc/1000)
	}
	if float64(near) < 0.8*float64(all) {
		t.Errorf("only %d of %d vertices of the 1″ divides near a 3″ one", near, all)
	}
}

// distanceTo returns the planar distance from p to the line, in its units.
func distanceTo(l orb.LineString, p orb.Point) float64 {
	best := math.Inf(1)
	for i := 1; i < len(l); i++ {
		a, b := l[i-1], l[i]
		dx, dy := b[0]-a[0], b[1]-a[1]
		u := 0.0
		if d := dx*dx + dy*dy; d > 0 {
			u = min(max(((p[0]-a[0])*dx+(p[1]-a[1])*dy)/d, 0), 1)
		}
		best = min(best, math.Hypot(a[0]+u*dx-p[0], a[1]+u*dy-p[1]))
	}
	return best
}

// squareN is how many samples a side of degreeSquare has: SRTM3's.
const squareN = 1201

// degreeSquare returns a DEM of the square 0..1°E, 0..1°N at 3″, with the
// heights z gives each row and column (row 0 northmost), asked row by row.
func degreeSquare(z func(r, c int) float64) *datasets.DEM {
	const n = squareN
	d := &datasets.DEM{West: 0, North: 1, DX: 1.0 / (n - 1), DY: 1.0 / (n - 1), W: n, H: n, Z: make([]float32, n*n)}
	for r := range n {
		for c := range n {
			d.Z[r*n+c] = float32(z(r, c))
		}
	}
	return d
}

// divides returns the divides of the DEM within bound, as the partitioner
// asks for them.
func divides(t *testing.T, d *datasets.DEM, bound orb.Bound) []orb.LineString {
	t.Helper()
	lines, err := Divides(context.Background(), d, bound, Options{MinLength: 10})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// On a plain that undulates by a few metres, with two ridges across it (a
// broad one of 200 m, a narrow one of 60 m), the divides are the ridges: the
// plain's own basins part nothing anyone sees.
func TestDividesNeedRelief(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := degreeSquare(func(r, c int) float64 {
		x, y := float64(c)/(squareN-1), float64(r)/(squareN-1)
		z := 100 + 3*math.Sin(40*x)*math.Sin(37*y) + 2*rng.Float64()
		z += 200 * math.Exp(-(x-0.5)*(x-0.5)/(2*0.03*0.03))
		z += 60 * math.Exp(-(x-0.3)*(x-0.3)/(2*0.004*0.004))
		return z
	})
	lines := divides(t, d, orb.Bound{Min: orb.Point{0.2, 0.2}, Max: orb.Point{0.8, 0.8}})
	var on, off float64 // km
	for _, l := range lines {
		for i := 1; i < len(l); i++ {
			km := math.Hypot(l[i][0]-l[i-1][0], l[i][1]-l[i-1][1]) * 111.32
			if math.Abs(l[i][0]-0.5) < 0.02 || math.Abs(l[i][0]-0.3) < 0.01 {
				on += km
			} else {
				off += km
			}
		}
	}
	t.Logf("%d divides: %.1f km on the ridges, %.1f km on the plain", len(lines), on, off)
	if on < 100 {
		t.Errorf("%.1f km of divides along the two ridges (%.0f km long), want most of them", on, 2*0.6*111.32)
	}
	if off > 2 {
		t.Errorf("%.1f km of divides on the plain", off)
	}
}

// A ridge that runs at 45° to the lattice gives a divide as long as the
// ridge, not a staircase of cell edges √2 times as long: a roof along the
// diagonal between two valleys that drain to the south-west.
func TestDividesFollowADiagonalRidge(t *testing.T) {
	d := degreeSquare(func(r, c int) float64 {
		x, y := float64(c)/(squareN-1), 1-float64(r)/(squareN-1)
		u := math.Abs(x-y) / math.Sqrt2 // from the ridge, in degrees
		z := 1000 - 3000*u
		if u > 0.1 {
			z = 700 + 3000*(u-0.1)
		}
		return z + 200*(x+y)
	})
	lines := divides(t, d, orb.Bound{Min: orb.Point{0.2, 0.2}, Max: orb.Point{0.8, 0.8}})
	// The length of divide within two cells of the ridge, away from the
	// window's edges.
	var on float64 // degrees
	for _, l := range lines {
		for i := 1; i < len(l); i++ {
			a, b := l[i-1], l[i]
			if max(math.Abs(a[0]-a[1]), math.Abs(b[0]-b[1])) < 2*d.DX && min(a[0], b[0]) > 0.3 && max(a[0], b[0]) < 0.7 {
				on += math.Hypot(b[0]-a[0], b[1]-a[1])
			}
		}
	}
	ridge := 0.4 * math.Sqrt2
	t.Logf("%d divides, %.3f° of them along the ridge's %.3f°", len(lines), on, ridge)
	if on < 0.95*ridge || on > 1.1*ridge {
		t.Errorf("%.3f° of divide along %.3f° of ridge: want about its length (a staircase is %.3f°)", on, ridge, ridge*math.Sqrt2)
	}
}

func TestCutCorners(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   orb.LineString
		want orb.LineString
	}{
		{"one edge", orb.LineString{{0, 0}, {1, 0}}, orb.LineString{{0, 0}, {1, 0}}},
		{"steps: the ends stay for the junctions", orb.LineString{{0, 0}, {1, 0}, {1, 1}, {2, 1}},
			orb.LineString{{0, 0}, {0.5, 0}, {1, 0.5}, {1.5, 1}, {2, 1}}},
		{"a loop stays closed", orb.LineString{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}},
			orb.LineString{{0.5, 0}, {1, 0.5}, {0.5, 1}, {0, 0.5}, {0.5, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cutCorners(tc.in); !got.Equal(tc.want) {
				t.Errorf("cutCorners(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
