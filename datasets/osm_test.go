package datasets

import (
	"context"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/testdata"
)

func TestReadOSMCamden(t *testing.T) {
	o, err := ReadOSM(context.Background(), testdata.Bundled(t, "camden/camden.osm.pbf"))
	if err != nil {
		t.Fatal(err)
	}
	byClass := map[Class]int{}
	for _, b := range o.Barriers {
		byClass[b.Class]++
	}
	t.Logf("nodes %d ways %d buildings %d barriers %v", o.Nodes, o.Ways, len(o.Buildings), byClass)
	// The README of the data says 20.8k buildings and 10.7k highway ways;
	// tunnels and indoor ways are dropped, so a little less.
	if len(o.Buildings) < 20000 || len(o.Buildings) > 21000 {
		t.Errorf("buildings = %d, want about 20.8k", len(o.Buildings))
	}
	hw := byClass[ClassPrimary] + byClass[ClassSecondary] + byClass[ClassStreet] + byClass[ClassPath]
	if hw < 8000 || hw > 10700 {
		t.Errorf("highway barriers = %d, want most of the 10.7k highway ways", hw)
	}
	for _, c := range []Class{ClassRiver, ClassRailway, ClassPrimary, ClassSecondary, ClassStreet, ClassPath} {
		if byClass[c] == 0 {
			t.Errorf("no %s barriers in Camden", c)
		}
	}
	// Camden lies at about 51.55 N, 0.15 W.
	if !o.Bound.Contains([2]float64{-0.15, 51.54}) {
		t.Errorf("bound %v does not cover Camden", o.Bound)
	}
}

func TestReadOSMRejects(t *testing.T) {
	for name, body := range map[string]string{
		"empty":     "",
		"truncated": `<?xml version="1.0"?><osm version="0.6"><node id="1" lat="51.5" lon="-0.1"/><way id="2"><nd ref=`,
		"not osm":   `{"type":"FeatureCollection"}`,
	} {
		if _, err := DecodeOSMXML(context.Background(), strings.NewReader(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		tags string
		want Class
	}{
		{"highway=primary", ClassPrimary},
		{"highway=tertiary", ClassTertiary},
		{"highway=secondary", ClassSecondary},
		{"highway=residential", ClassStreet},
		{"highway=footway", ClassPath},
		{"highway=residential tunnel=yes", 0},
		{"highway=construction", 0},
		{"highway=pedestrian area=yes", 0},
		{"railway=rail", ClassRailway},
		{"railway=abandoned", 0},
		{"railway=subway layer=-2", 0},
		{"waterway=canal", ClassRiver},
		{"waterway=stream", ClassStream},
		{"waterway=river tunnel=culvert", 0},
		{"natural=ridge", ClassRidge},
		{"natural=coastline", ClassRiver},
		{"building=yes", 0},
	}
	for _, tt := range tests {
		t.Run(tt.tags, func(t *testing.T) {
			if got, _ := classify(parseTags(tt.tags)); got != tt.want {
				t.Errorf("classify(%s) = %v, want %v", tt.tags, got, tt.want)
			}
		})
	}
}
