package partition

import (
	"context"
	"slices"
	"testing"
)

// TestMemo partitions a generated town, changes one community, and partitions
// it again through the memo of the first run: the communities that did not
// change are taken from the memo, the changed one is solved anew, and the
// result is exactly that of a run without a memo.
func TestMemo(t *testing.T) {
	ctx := context.Background()
	g, comm, n := SyntheticCity(60, 50, 20, 25, 3)
	opt := Options{Band: DefaultBand, Seed: 1, Trees: 4, memo: newMemo()}
	first, err := Assign(ctx, g, comm, n, opt)
	if err != nil {
		t.Fatal(err)
	}
	kept := opt.memo.len()
	if kept != n {
		t.Fatalf("memo keeps %d solutions, want one per community (%d)", kept, n)
	}

	// A new estate in community 0: ten of its blocks gain 60 households.
	w := slices.Clone(g.W)
	for v, k := 0, 0; k < 10; v++ {
		if comm[v] == 0 {
			w[v] += 60
			k++
		}
	}
	changed := &Graph{W: w, Sites: g.Sites, off: g.off, to: g.to, cut: g.cut, in: g.in}

	got, err := Assign(ctx, changed, comm, n, opt)
	if err != nil {
		t.Fatal(err)
	}
	if solved := opt.memo.len(); solved != kept+1 {
		t.Errorf("second run solved %d pieces anew, want only the changed community's 1", solved-kept)
	}
	want, err := Assign(ctx, changed, comm, n, Options{Band: DefaultBand, Seed: 1, Trees: 4})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(first.Part, want.Part) {
		t.Fatal("the change made no difference to the grids: the test shows nothing")
	}
	if !slices.Equal(got.Part, want.Part) || !slices.Equal(got.Community, want.Community) {
		t.Error("a run through the memo differs from a run without it")
	}
}
