package terrain

import (
	"context"
	"math"
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
	lines, err := Divides(context.Background(), d, bound, Options{MinLength: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 20 {
		t.Fatalf("%d divides over Andorra's mountains, want many", len(lines))
	}
	elev := func(p orb.Point) float64 {
		c := int(math.Round((p[0] - d.West) / d.Step()))
		r := int(math.Round((d.South + 1 - p[1]) / d.Step()))
		return float64(d.At(min(max(r, 0), d.N-1), min(max(c, 0), d.N-1)))
	}
	var on, n float64
	for _, l := range lines {
		for _, p := range l {
			on += elev(p)
			n++
		}
	}
	var all, m float64
	for lat := bound.Min[1]; lat < bound.Max[1]; lat += 0.005 {
		for lon := bound.Min[0]; lon < bound.Max[0]; lon += 0.005 {
			all += elev(orb.Point{lon, lat})
			m++
		}
	}
	t.Logf("%d divides; mean elevation on them %.0f m, of the area %.0f m", len(lines), on/n, all/m)
	if on/n < all/m+100 {
		t.Errorf("divides average %.0f m, the area %.0f m: not ridges", on/n, all/m)
	}
}

// A plane tilted to the east drains into one stream per row band and has no
// divide worth the name.
func TestDividesOfAPlane(t *testing.T) {
	n := 1201
	d := &datasets.DEM{South: 0, West: 0, N: n, Z: make([]int16, n*n)}
	for r := range n {
		for c := range n {
			d.Z[r*n+c] = int16(2000 - c)
		}
	}
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
