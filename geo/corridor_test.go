package geo

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

const (
	rail   = 1 // collapses within 30 m
	street = 2 // never collapses
)

func railWidth(tag int) float64 {
	if tag == rail {
		return 30
	}
	return 0
}

func lengthByTag(lines []TaggedLine) map[int]float64 {
	m := map[int]float64{}
	for _, l := range lines {
		m[l.Tag] += planar.Length(l.Line)
	}
	return m
}

func TestCollapse(t *testing.T) {
	tests := []struct {
		name  string
		lines []TaggedLine
		// rail and street length expected out, to within a metre.
		rail, street float64
	}{
		{
			name: "two tracks 10 m apart are one",
			lines: []TaggedLine{
				{Line: orb.LineString{{0, 0}, {220, 0}}, Tag: rail},
				{Line: orb.LineString{{10, 10}, {210, 10}}, Tag: rail},
			},
			rail: 220,
		},
		{
			name: "tracks 50 m apart stay two",
			lines: []TaggedLine{
				{Line: orb.LineString{{0, 0}, {220, 0}}, Tag: rail},
				{Line: orb.LineString{{0, 50}, {200, 50}}, Tag: rail},
			},
			rail: 420,
		},
		{
			name: "streets 10 m apart stay two",
			lines: []TaggedLine{
				{Line: orb.LineString{{0, 0}, {220, 0}}, Tag: street},
				{Line: orb.LineString{{0, 10}, {200, 10}}, Tag: street},
			},
			street: 420,
		},
		{
			// The far track is dropped; the street that met it is carried
			// 10 m on to the kept one.
			name: "a street ending on a dropped track reaches the kept one",
			lines: []TaggedLine{
				{Line: orb.LineString{{0, 0}, {220, 0}}, Tag: rail},
				{Line: orb.LineString{{0, 10}, {200, 10}}, Tag: rail},
				{Line: orb.LineString{{100, 60}, {100, 10}}, Tag: street},
			},
			rail:   220,
			street: 60,
		},
		{
			// A branch runs beside the main line for 100 m, then leaves it:
			// the part beside it goes, the rest joins the main line.
			name: "a diverging branch keeps its own part",
			lines: []TaggedLine{
				{Line: orb.LineString{{0, 0}, {300, 0}}, Tag: rail},
				{Line: orb.LineString{{0, 5}, {100, 5}, {100, 200}}, Tag: rail},
			},
			rail: 300 + 200,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lengthByTag(Collapse(tt.lines, railWidth))
			if math.Abs(got[rail]-tt.rail) > 1 || math.Abs(got[street]-tt.street) > 1 {
				t.Errorf("rail %.1f m, street %.1f m; want %.1f and %.1f", got[rail], got[street], tt.rail, tt.street)
			}
		})
	}
}

// Two tracks across a square make a sliver face between them; collapsed,
// they split the square in two.
func TestCollapseRemovesSlivers(t *testing.T) {
	sq := orb.MultiPolygon{{{{0, 0}, {200, 0}, {200, 200}, {0, 200}, {0, 0}}}}
	lines := []TaggedLine{
		{Line: orb.LineString{{-10, 100}, {210, 100}}, Tag: rail},
		{Line: orb.LineString{{-5, 108}, {205, 108}}, Tag: rail},
		{Line: orb.LineString{{50, 200}, {50, 108}}, Tag: street}, // ends on the far track
	}
	for _, tt := range []struct {
		name  string
		lines []TaggedLine
		faces int
	}{
		{"as read", lines, 4},
		{"collapsed", Collapse(lines, railWidth), 3},
	} {
		a, err := Arrange(context.Background(), geos.NewContext(), sq, tt.lines, 9)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Faces) != tt.faces {
			t.Errorf("%s: %d faces, want %d", tt.name, len(a.Faces), tt.faces)
		}
	}
}

func TestExtensions(t *testing.T) {
	sq := orb.MultiPolygon{{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}}
	lines := []TaggedLine{
		{Line: orb.LineString{{-10, 50}, {60, 50}}, Tag: rail}, // ends 40 m short of the east side
		{Line: orb.LineString{{20, 60}, {20, 80}}, Tag: street},
	}
	a, err := Arrange(context.Background(), geos.NewContext(), sq, lines, 9)
	if err != nil {
		t.Fatal(err)
	}
	keepRail := func(tag int) bool { return tag == rail }
	tests := []struct {
		reach float64
		want  []orb.LineString
	}{
		{reach: 100, want: []orb.LineString{{{60, 50}, {100, 50}}}},
		{reach: 30, want: nil}, // the side is out of reach
	}
	for _, tt := range tests {
		got := a.Extensions(keepRail, tt.reach, 7)
		if len(got) != len(tt.want) {
			t.Fatalf("reach %v: %d extensions %v, want %v", tt.reach, len(got), got, tt.want)
		}
		for i, w := range tt.want {
			if got[i].Tag != 7 || !got[i].Line.Equal(w) {
				t.Errorf("reach %v: extension %v tag %d, want %v tag 7", tt.reach, got[i].Line, got[i].Tag, w)
			}
		}
	}
}

func TestCast(t *testing.T) {
	ix := NewSegmentIndex([]TaggedLine{
		{Line: orb.LineString{{10, -5}, {10, 5}}},
		{Line: orb.LineString{{20, -5}, {20, 5}}},
		{Line: orb.LineString{{0, 0}, {-5, 5}}}, // through the origin: ignored
	})
	tests := []struct {
		dir   [2]float64
		reach float64
		want  orb.Point
		ok    bool
	}{
		{[2]float64{1, 0}, 100, orb.Point{10, 0}, true},
		{[2]float64{1, 0}, 5, orb.Point{}, false},
		{[2]float64{-1, 0}, 100, orb.Point{}, false},
		{[2]float64{0, 1}, 100, orb.Point{}, false},
	}
	for _, tt := range tests {
		got, ok := ix.Cast(orb.Point{0, 0}, tt.dir, tt.reach)
		if ok != tt.ok || (ok && planar.Distance(got, tt.want) > 1e-9) {
			t.Errorf("cast %v reach %v = %v %v, want %v %v", tt.dir, tt.reach, got, ok, tt.want, tt.ok)
		}
	}
}
