package partition

import (
	"context"
	"encoding/json"
	"github.com/gridline/gridline/internal/testdata/camden"
	"io"
	"testing"
)

// BenchmarkCamdenEndToEnd reads the Camden OSM extract and household data,
// builds the blocks, partitions them, measures and writes the GeoJSON.
func BenchmarkCamdenEndToEnd(b *testing.B) {
	p := camden.Paths(b)
	for b.Loop() {
		r, _, err := Run(context.Background(), p, Options{Band: DefaultBand, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := json.NewEncoder(io.Discard).Encode(r.FeatureCollection()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssignCity1M partitions a generated city of 1,000,000 households
// in 100,000 blocks and 200 communities: the partition step alone.
func BenchmarkAssignCity1M(b *testing.B) {
	g, comm, n := SyntheticCity(400, 250, 20, 25, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Assign(context.Background(), g, comm, n, Options{Band: DefaultBand, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSolveCommunity cuts one community of about 3,300 households.
func BenchmarkSolveCommunity(b *testing.B) {
	g, _, _ := SyntheticCity(18, 18, 18, 18, 1)
	for b.Loop() {
		if _, err := Solve(context.Background(), g, SolveOptions{Band: DefaultBand, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPartitionCity1M runs the whole partition step (tree cut, local
// search, annealer, outlines, codes) on a generated city of about 1,000,000
// households in 100,000 blocks and 200 communities, built once.
func BenchmarkPartitionCity1M(b *testing.B) {
	blocks, err := BuildBlocks(context.Background(), SyntheticCityInput(400, 250, 20, 25, 1), BlockOptions{Band: DefaultBand})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Partition(context.Background(), blocks, Options{Band: DefaultBand, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
