package geo

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// A 100 m square crossed by a street (tag 1) and a river (tag 3) that runs
// partly along the street, with a dead end (tag 2) that bounds nothing.
func TestArrange(t *testing.T) {
	sq := orb.MultiPolygon{{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}}
	lines := []TaggedLine{
		{Line: orb.LineString{{-10, 50}, {110, 50}}, Tag: 1},          // street across
		{Line: orb.LineString{{50, -10}, {50, 50}, {80, 50}}, Tag: 3}, // river up to the street, then along it
		{Line: orb.LineString{{20, 60}, {20, 80}}, Tag: 2},            // dead end
		{Line: orb.LineString{{200, 200}, {300, 300}}, Tag: 2},        // outside
	}
	a, err := Arrange(context.Background(), geos.NewContext(), sq, lines, 9)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Faces) != 3 {
		t.Fatalf("%d faces, want 3", len(a.Faces))
	}
	var area float64
	for _, f := range a.Faces {
		area += planar.Area(f)
	}
	if math.Abs(area-10000) > 1e-6 {
		t.Errorf("faces cover %v m², want 10000", area)
	}
	byTag := map[int]float64{}
	for _, e := range a.Edges {
		byTag[e.Tag] += e.Length()
		if e.Faces[1] < 0 {
			t.Errorf("edge %v has no face", e.Line)
		}
	}
	// Street: 50..100 minus 50..80 taken by the river, plus 0..50 = 70 m;
	// river: 50 m up and 30 m along; boundary 400 m.
	want := map[int]float64{1: 70, 3: 80, 9: 400}
	for tag, l := range want {
		if math.Abs(byTag[tag]-l) > 1e-6 {
			t.Errorf("tag %d: %v m of edges, want %v", tag, byTag[tag], l)
		}
	}
	if len(a.Dangles) != 1 || a.Dangles[0].Tag != 2 {
		t.Errorf("dangles %v, want the dead end", a.Dangles)
	}

	// Clipped first, the lines arrange the same.
	gctx := geos.NewContext()
	inside, err := Clip(context.Background(), gctx, sq, lines)
	if err != nil {
		t.Fatal(err)
	}
	if len(inside) != 3 {
		t.Errorf("%d lines inside the square, want 3", len(inside))
	}
	b, err := ArrangeInside(context.Background(), gctx, sq, inside, 9)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("arranged after clipping:\n%v\nwant\n%v", b, a)
	}
}

func TestLocalProjectionRoundTrip(t *testing.T) {
	l := NewLocal(orb.Point{-0.15, 51.54})
	p := orb.Point{-0.2, 51.57}
	q := l.Inverse(l.Forward(p))
	if math.Abs(p[0]-q[0]) > 1e-12 || math.Abs(p[1]-q[1]) > 1e-12 {
		t.Errorf("round trip %v -> %v", p, q)
	}
	// 0.01° of latitude is about 1113 m; of longitude at 51.54° about 693 m.
	d := l.Forward(orb.Point{-0.14, 51.55})
	if math.Abs(d[1]-1113) > 2 || math.Abs(d[0]-694) > 2 {
		t.Errorf("0.01° steps project to %v", d)
	}
}

func TestRepairReportsWhy(t *testing.T) {
	bowtie := orb.Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}
	fixed, reason, err := Repair(geos.NewContext(), bowtie)
	if err != nil {
		t.Fatal(err)
	}
	if reason == "" || len(fixed) != 2 {
		t.Errorf("bow-tie repaired into %d polygons (reason %q), want 2 with a reason", len(fixed), reason)
	}
}
