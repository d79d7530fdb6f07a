package datasets

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// square returns a building ring of about side×side metres near London.
func square(side float64) orb.Ring {
	dLat := side / 111320
	dLon := side / (111320 * math.Cos(51.5*math.Pi/180))
	return orb.Ring{{0, 51.5}, {dLon, 51.5}, {dLon, 51.5 + dLat}, {0, 51.5 + dLat}, {0, 51.5}}
}

func TestHouseholdsIn(t *testing.T) {
	tests := []struct {
		name string
		b    Building
		want int
	}{
		{"house", Building{Ring: square(12), Kind: "house"}, 1},
		{"big detached is still one home", Building{Ring: square(30), Kind: "detached"}, 1},
		{"church", Building{Ring: square(30), Kind: "church"}, 0},
		{"shed-sized yes", Building{Ring: square(5), Kind: "yes"}, 0},
		// 20×20 m = 400 m² × 4 levels / 90 = 17.8
		{"apartments, default levels", Building{Ring: square(20), Kind: "apartments"}, 18},
		{"apartments, 10 levels", Building{Ring: square(20), Kind: "apartments", Levels: 10}, 44},
		// 400 m² × 2 levels / 90 = 8.9
		{"unspecified building", Building{Ring: square(20), Kind: "yes"}, 9},
		{"small flat block has at least one", Building{Ring: square(6), Kind: "residential"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HouseholdsIn(tt.b); got != tt.want {
				t.Errorf("HouseholdsIn = %d, want %d (footprint %.0f m²)", got, tt.want, Footprint(tt.b.Ring))
			}
		})
	}
}

func TestSpreadOverBuildingsKeepsTotals(t *testing.T) {
	area := Unit{Shape: orb.MultiPolygon{{{{-0.001, 51.499}, {0.01, 51.499}, {0.01, 51.51}, {-0.001, 51.51}, {-0.001, 51.499}}}}, Households: 101, Index: 0}
	empty := Unit{Shape: orb.MultiPolygon{{{{1, 52}, {1.01, 52}, {1.01, 52.01}, {1, 52}}}}, Households: 7, Index: 1}
	bs := []Building{
		{Ring: square(20), Kind: "apartments"},
		{Ring: square(10), Kind: "house"},
		{Ring: square(20), Kind: "church"},
	}
	out := SpreadOverBuildings([]Unit{area, empty}, bs)
	sum := map[int]int{}
	for _, h := range out {
		sum[h.Index] += h.Count
	}
	if sum[0] != 101 || sum[1] != 7 {
		t.Errorf("areas got %d and %d households, want 101 and 7", sum[0], sum[1])
	}
	if len(out) != 3 {
		t.Errorf("got %d points, want 2 buildings + 1 for the area without any", len(out))
	}
}
