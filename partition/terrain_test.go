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
		name    string
		dems    []string
		partial bool
	}{
		{"tile", []string{testdata.Shared(t, "andorra/N42E001.hgt.zip")}, false},
		{"GeoTIFF", []string{fixture("andorra-f32-deflate-tiled.tif")}, false},
		{"halves", []string{fixture("andorra-west.tif"), fixture("andorra-east.tif")}, false},
		{"window", []string{fixture("andorra-i16-lzw-strips.tif")}, true}, // 0.1° by 0.08°
	} {
		t.Run(tc.name, func(t *testing.T) {
			ridges, note, err := terrainBarriers(context.Background(), tc.dems, andorra.Shape)
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
