package edit

import (
	"context"
	"errors"
	"testing"

	"github.com/gridline/gridline/partition"
)

// TestRepartitionFromStore partitions Camden anew from what the store kept
// of it, with a narrower band: every block lands in one grid, every grid is
// connected, inside one community and (but for reported problems) in the
// band; progress climbs to 100; locks and cancellation are honoured.
func TestRepartitionFromStore(t *testing.T) {
	ctx := context.Background()
	st, ed, s0 := camdenEditor(t)

	// A lock blocks it.
	var some string
	for code := range s0.Grids {
		some = code
		break
	}
	if _, err := ed.Apply(ctx, "camden", 1, Op{Kind: "lock", Grid: some, Reason: "r"}, "ana"); err != nil {
		t.Fatal(err)
	}
	band := partition.Band{Min: 300, Max: 500}
	if _, _, err := ed.Repartition(ctx, "camden", 2, partition.Options{Band: band, Seed: 1}, "ana", "300–500", nil); err == nil {
		t.Fatal("partitioned over a locked grid")
	} else if r, ok := IsRefused(err); !ok || r.Violations[0].Grid != some {
		t.Fatalf("refusal: %v", err)
	}
	if _, err := ed.Apply(ctx, "camden", 2, Op{Kind: "unlock", Grid: some, Reason: "r"}, "ana"); err != nil {
		t.Fatal(err)
	}

	// A cancelled run stores nothing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := ed.Repartition(cctx, "camden", 3, partition.Options{Band: band, Seed: 1}, "ana", "300–500", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}

	var last float64
	res, problems, err := ed.Repartition(ctx, "camden", 3, partition.Options{Band: band, Seed: 1}, "ana", "300–500", func(stage string, pct float64) {
		if pct < last {
			t.Errorf("progress went back from %.0f to %.0f at %s", last, pct, stage)
		}
		last = pct
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 4 || last != 100 {
		t.Errorf("version %d, progress ended at %.0f", res.Version, last)
	}
	s, err := st.State(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	members := map[string][]int{}
	total := 0
	for b, code := range s.GridOf {
		if code == "" {
			t.Fatalf("block %d in no grid", b)
		}
		members[code] = append(members[code], b)
		total += s.Blocks[b].Households
	}
	if total != 97534 || len(members) != len(s.Grids) {
		t.Fatalf("%d households in %d grids with blocks, %d stored grids", total, len(members), len(s.Grids))
	}
	outside := 0
	for code, blocks := range members {
		for _, v := range check(s, code, s.Grids[code].Community, blocks) {
			if v.Rule != "band" {
				t.Errorf("%s: %s", v.Grid, v.Detail)
			}
			outside++
		}
	}
	if outside > len(problems) || float64(outside) > 0.01*float64(len(members)) {
		t.Errorf("%d of %d grids outside [300, 500], %d problems reported", outside, len(members), len(problems))
	}
	t.Logf("%d grids of 300–500 households; %d outside the band, %d problems reported", len(members), outside, len(problems))
}
