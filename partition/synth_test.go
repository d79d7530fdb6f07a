package partition

import (
	"context"
	"testing"
)

// TestSyntheticCityAssign partitions a generated town and checks every grid:
// in its community, connected, within the band.
func TestSyntheticCityAssign(t *testing.T) {
	g, comm, n := SyntheticCity(60, 50, 20, 25, 3)
	total := 0
	for _, w := range g.W {
		total += int(w)
	}
	as, err := Assign(context.Background(), g, comm, n, Options{Band: DefaultBand, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	w := make([]int, as.Parts)
	for v, p := range as.Part {
		w[p] += int(g.W[v])
		if as.Community[p] != comm[v] {
			t.Fatalf("node %d of community %d is in a grid of community %d", v, comm[v], as.Community[p])
		}
	}
	sum := 0
	for p, h := range w {
		sum += h
		if !DefaultBand.Contains(h) {
			t.Errorf("grid %d holds %d households", p, h)
		}
	}
	if sum != total {
		t.Errorf("grids hold %d households, the city %d", sum, total)
	}
	checkSolution(t, g, DefaultBand, Solution{Part: toInt32(as.Part), Parts: as.Parts})
}

func toInt32(xs []int) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i] = int32(x)
	}
	return out
}
