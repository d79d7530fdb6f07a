package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/testdata"
)

func TestDecodeFeatureCollectionRejects(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "empty file"},
		{"blank", "  \n", "empty file"},
		{"truncated", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[0.1,51`, "truncated"},
		{"no features", `{"type":"FeatureCollection","features":[]}`, "no features"},
		{"projected", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[529000,184000]}}]}`, "not WGS84"},
		{"British grid crs", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,51]}}]}`, "EPSG::27700"},
		{"null geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}`, "feature 0 has no geometry"},
		{"not geojson", `{"type":"Topology"}`, "expected a FeatureCollection"},
		{"nan", `{"type":"Point","coordinates":[NaN,1]}`, "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeFeatureCollection(strings.NewReader(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one that says %q", err, tt.want)
			}
		})
	}
}

func TestReadHouseholdsRejects(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"no count", `{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,51]}}`, `no "households"`},
		{"negative", `{"type":"Feature","properties":{"households":-3},"geometry":{"type":"Point","coordinates":[0,51]}}`, "whole number"},
		{"fraction", `{"type":"Feature","properties":{"households":2.5},"geometry":{"type":"Point","coordinates":[0,51]}}`, "whole number"},
		{"text", `{"type":"Feature","properties":{"households":"many"},"geometry":{"type":"Point","coordinates":[0,51]}}`, "whole number"},
		{"polygon", `{"type":"Feature","properties":{"households":3},"geometry":{"type":"Polygon","coordinates":[[[0,51],[0.1,51],[0.1,51.1],[0,51]]]}}`, "households are Points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "h.geojson")
			if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadHouseholds(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "feature 0") {
				t.Fatalf("error %v, want one that names feature 0 and says %q", err, tt.want)
			}
		})
	}
}

func TestReadRegionsRejectsShortRing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.geojson")
	body := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[0.1,51],[0,51]]]}}]}`
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRegions(p); err == nil || !strings.Contains(err.Error(), "feature 0") {
		t.Fatalf("error %v, want one naming feature 0", err)
	}
}

func TestReadCamdenFiles(t *testing.T) {
	hh, err := ReadHouseholds(testdata.Bundled(t, "camden/households.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, h := range hh {
		total += h.Count
	}
	if len(hh) != 17777 || total != 97534 {
		t.Errorf("read %d points holding %d households, want 17777 and 97534", len(hh), total)
	}
	cs, err := ReadRegions(testdata.Bundled(t, "camden/msoa.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 28 || cs[0].Code != "E02000166" {
		t.Errorf("read %d communities, first %q", len(cs), cs[0].Code)
	}
}

// FuzzDecodeFeatureCollection feeds the GeoJSON reader arbitrary bytes: it
// must answer with a collection or an error, never panic.
func FuzzDecodeFeatureCollection(f *testing.F) {
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"households":3},"geometry":{"type":"Point","coordinates":[0,51]}}]}`)
	f.Add(`{"type":"Polygon","coordinates":[[[0,51],[0.1,51],[0.1,51.1],[0,51]]]}`)
	f.Add(`{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[]}}`)
	f.Add(`{"type":"FeatureCollection","crs":{"properties":{"name":"EPSG:3857"}},"features":[]}`)
	f.Fuzz(func(t *testing.T, body string) {
		fc, err := DecodeFeatureCollection(strings.NewReader(body))
		if err == nil {
			for _, feat := range fc.Features {
				_, _ = householdsProp(feat.Properties)
				_, _ = areal(feat.Geometry)
			}
		}
	})
}

// FuzzDecodeOSMXML feeds the OSM reader arbitrary bytes.
func FuzzDecodeOSMXML(f *testing.F) {
	f.Add(`<osm><node id="1" lat="51.5" lon="-0.1"/><node id="2" lat="51.6" lon="-0.1"/><way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way></osm>`)
	f.Add(`<osm><way id="3"><nd ref="9"/><tag k="building" v="yes"/></way></osm>`)
	f.Fuzz(func(t *testing.T, body string) {
		_, _ = DecodeOSMXML(t.Context(), strings.NewReader(body))
	})
}
