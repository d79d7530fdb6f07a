package partition

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/internal/testdata"
)

// The terrain note says how many divides a DEM gave, and when the DEM leaves
// part of the jurisdiction without terrain.
func TestTerrainNote(t *testing.T) {
	andorra, err := datasets.ReadArea(testdata.Shared(t, "andorra/boundary.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	fixture := func(name string) string { return filepath.Join(testdata.Root(t), "datasets/testdata", name) }
	for _, tc := range []struct {
		dem     string
		partial bool
	}{
		{testdata.Shared(t, "andorra/N42E001.hgt.zip"), false},
		{fixture("andorra-f32-deflate-tiled.tif"), false},
		{fixture("andorra-i16-lzw-strips.tif"), true}, // a window of 0.1° by 0.08°
	} {
		t.Run(filepath.Base(tc.dem), func(t *testing.T) {
			ridges, note, err := terrainBarriers(context.Background(), tc.dem, andorra.Shape)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(note.Message)
			if len(ridges) == 0 || !strings.HasPrefix(note.Message, strconv.Itoa(len(ridges))+" drainage divides") {
				t.Errorf("%d ridges, note %q", len(ridges), note.Message)
			}
			if got := strings.Contains(note.Message, "covers only"); got != tc.partial {
				t.Errorf("partial cover noted: %v, want %v", got, tc.partial)
			}
		})
	}
}
