package partition

import (
	"context"
	"math"
	"testing"

	"github.com/gridline/gridline/datasets"
)

// runReal partitions real data for a test (skipped with -short), logs the
// quality figures and checks what every partition must keep (checkTiling).
func runReal(t *testing.T, p datasets.Paths, seed uint64) (*Result, *Report) {
	t.Helper()
	if testing.Short() {
		t.Skip("partitions a real jurisdiction")
	}
	r, rep, err := Run(context.Background(), p, Options{Band: DefaultBand, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("quality: %+v", rep.Quality)
	checkTiling(t, rep.Quality)
	return r, rep
}

// checkTiling checks what every partition must keep, whatever its data:
// every household in exactly one grid, no gap and no overlap, every grid in
// one piece and inside one community; and that the report accounts for every
// metre of main feature through a grid.
func checkTiling(t *testing.T, q Quality) {
	t.Helper()
	if q.HouseholdsOnce != 1 || q.HouseholdsInNone != 0 || q.HouseholdsByBlocks != 1 {
		t.Errorf("households in exactly one grid: share %v, in none %d, by blocks %v; want all", q.HouseholdsOnce, q.HouseholdsInNone, q.HouseholdsByBlocks)
	}
	if q.GapShare >= 1e-9 || q.OverlapShare >= 1e-9 {
		t.Errorf("gap %g, overlap %g of the jurisdiction's area; want both < 1e-9", q.GapShare, q.OverlapShare)
	}
	if q.MultiPiece != 0 {
		t.Errorf("%d grids in several pieces", q.MultiPiece)
	}
	if q.InOneCommunity != 1 {
		t.Errorf("grids inside one community: %.4f, want all (lowest area share %.4f)", q.InOneCommunity, q.MinCommunityShare)
	}
	why := q.MajorThroughWhy
	if sum := why.InsideBlock + why.WithinPiece + why.EmptyPiece + why.SmallPiece + why.Chosen; math.Abs(sum-q.MajorThrough) > 1e-9 {
		t.Errorf("reasons %+v add up to %.4f, want the %.4f through grids", why, sum, q.MajorThrough)
	}
}
