package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/testdata"
)

// TestPartitionBadInput runs the command on wrong input: each must fail with
// an error that says what is wrong, never panic.
func TestPartitionBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	camden := func(name string) string { return testdata.Bundled(t, "camden/"+name) }
	empty := write("empty.geojson", "")
	farAway := write("far.geojson", `{"type":"Feature","properties":{"households":300},"geometry":{"type":"Point","coordinates":[2.35,48.85]}}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no boundary", []string{"--osm", camden("camden.osm.pbf")}, "boundary is required"},
		{"empty boundary", []string{"--boundary", empty, "--osm", camden("camden.osm.pbf")}, "empty file"},
		{"missing osm file", []string{"--boundary", camden("boundary.geojson"), "--osm", filepath.Join(dir, "nope.osm.pbf")}, "no such file"},
		{"osm does not cover the boundary", []string{"--boundary", testdata.Shared(t, "andorra/boundary.geojson"), "--osm", camden("camden.osm.pbf")}, "covers 0%"},
		{"households outside", []string{"--boundary", camden("boundary.geojson"), "--osm", camden("camden.osm.pbf"), "--households", farAway}, "no households inside the boundary"},
		{"two household sources", []string{"--boundary", camden("boundary.geojson"), "--osm", camden("camden.osm.pbf"), "--households", farAway, "--household-areas", farAway}, "one source"},
		{"band upside down", []string{"--boundary", camden("boundary.geojson"), "--min", "500", "--max", "200"}, "below min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"partition", "--out", filepath.Join(dir, "out.geojson")}, tt.args...)
			err := run(context.Background(), args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one that says %q", err, tt.want)
			}
			if _, serr := os.Stat(filepath.Join(dir, "out.geojson")); serr == nil {
				t.Errorf("a failed run left an output file")
			}
		})
	}
}

// TestPartitionWarns runs the command on a self-intersecting boundary (a bow
// tie over part of Camden): it repairs it and says so on stderr, with the
// households it left outside, without --report.
func TestPartitionWarns(t *testing.T) {
	if testing.Short() {
		t.Skip("partitions part of Camden")
	}
	dir := t.TempDir()
	bowtie := filepath.Join(dir, "bowtie.geojson")
	if err := os.WriteFile(bowtie, []byte(`{"type":"Feature","properties":{},"geometry":{"type":"Polygon",`+
		`"coordinates":[[[-0.15,51.53],[-0.13,51.55],[-0.15,51.55],[-0.13,51.53],[-0.15,51.53]]]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	err = run(context.Background(), []string{"partition", "--out", filepath.Join(dir, "out.geojson"), "--boundary", bowtie,
		"--osm", testdata.Bundled(t, "camden/camden.osm.pbf"), "--households", testdata.Bundled(t, "camden/households.geojson")})
	os.Stderr = stderr
	w.Close()
	said, _ := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"warning: repaired: boundary was invalid (Self-intersection", "warning: outside: 15334 household points lie outside the boundary"} {
		if !strings.Contains(string(said), want) {
			t.Errorf("stderr %q does not say %q", said, want)
		}
	}
}
