// Package testdata finds the real datasets that tests read: the demo data
// bundled in the repository, and the shared datasets that CI keeps beside the
// checkout (../shared/datasets).
package testdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository root (the folder holding go.mod).
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testdata: no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Bundled returns the path of a file of the bundled demo data, e.g.
// Bundled(t, "camden/msoa.geojson").
func Bundled(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(Root(tb), "datasets", name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("bundled dataset: %v", err)
	}
	return p
}

// Shared returns the path of a file of the shared datasets. CI has them beside
// the checkout; a test that needs them fails, rather than skips, when they are
// missing, so that a green run always means the data was read.
func Shared(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(Root(tb), "..", "shared", "datasets", name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("shared dataset (expected beside the checkout): %v", err)
	}
	return p
}
