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

// TestSyntheticCityBlocks builds a generated town as geometry and
// partitions it the whole way, annealer and outlines included: one block a
// lattice cell, every household in one, and grids that keep every rule.
func TestSyntheticCityBlocks(t *testing.T) {
	const w, h, cw, ch = 60, 50, 20, 25
	in := SyntheticCityInput(w, h, cw, ch, 3)
	total := 0
	for _, hh := range in.Households {
		total += hh.Count
	}
	b, err := BuildBlocks(context.Background(), in, BlockOptions{Band: DefaultBand})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Blocks) != w*h || len(b.Communities) != (w/cw)*(h/ch) || totalHouseholds(b) != total {
		t.Fatalf("%d blocks, %d communities, %d households; want %d, %d, %d",
			len(b.Blocks), len(b.Communities), totalHouseholds(b), w*h, (w/cw)*(h/ch), total)
	}
	r, err := Partition(context.Background(), b, Options{Band: DefaultBand, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	q, err := r.Measure()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d grids; through %.4f, Polsby–Popper median %.3f", q.Grids, q.MajorThrough, q.PolsbyPopperMedian)
	checkTiling(t, q)
	if q.Households != total || q.InBandShare != 1 {
		t.Errorf("%d households in grids, %.4f of grids in the band; want %d and all", q.Households, q.InBandShare, total)
	}
	// Main roads every 7 and 9 blocks ring pieces of 7×9 cells, about 630
	// households: each can be grids of its own, so few main roads need to
	// run through one.
	if q.MajorThrough > 0.05 {
		t.Errorf("main features through grids: %.4f, want ≤ 0.05", q.MajorThrough)
	}
}
