package partition

import (
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
)

// TestNameEdges checks which class guides give a block edge: the strongest
// class that, with the stronger ones, runs along at least half of it.
func TestNameEdges(t *testing.T) {
	// The edge runs 100 m east along y = 0; guides run beside it.
	edge := orb.LineString{{0, 0}, {100, 0}}
	guide := func(c datasets.Class, x0, x1, y float64) geo.TaggedLine {
		return geo.TaggedLine{Line: orb.LineString{{x0, y}, {x1, y}}, Tag: int(c)}
	}
	tests := []struct {
		name   string
		tag    datasets.Class
		guides []geo.TaggedLine
		want   datasets.Class
	}{
		{"street along the whole edge, 5 m off", datasets.ClassNone, []geo.TaggedLine{guide(datasets.ClassStreet, -10, 110, 5)}, datasets.ClassStreet},
		{"street too far off", datasets.ClassNone, []geo.TaggedLine{guide(datasets.ClassStreet, -10, 110, 20)}, datasets.ClassNone},
		{"railway along 60 %, street along the rest", datasets.ClassNone, []geo.TaggedLine{guide(datasets.ClassRailway, 0, 60, 3), guide(datasets.ClassStreet, 60, 100, 3)}, datasets.ClassRailway},
		{"railway along 30 %, street along 30 %: street", datasets.ClassNone, []geo.TaggedLine{guide(datasets.ClassRailway, 0, 30, 3), guide(datasets.ClassStreet, 30, 60, 3)}, datasets.ClassStreet},
		{"path along 30 % only (42 % within reach of it)", datasets.ClassNone, []geo.TaggedLine{guide(datasets.ClassPath, 0, 30, 0)}, datasets.ClassNone},
		{"community line along a river", datasets.ClassCommunity, []geo.TaggedLine{guide(datasets.ClassRiver, -5, 105, 8)}, datasets.ClassRiver},
		{"a street edge keeps its class", datasets.ClassStreet, []geo.TaggedLine{guide(datasets.ClassRailway, -5, 105, 1)}, datasets.ClassStreet},
		{"the jurisdiction's edge keeps its class", datasets.ClassBoundary, []geo.TaggedLine{guide(datasets.ClassStreet, -5, 105, 1)}, datasets.ClassBoundary},
		{"lines of no class name nothing", datasets.ClassNone, []geo.TaggedLine{guide(datasets.ClassNone, -5, 105, 0)}, datasets.ClassNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edges := []geo.Edge{{Line: edge, Tag: int(tt.tag), Faces: [2]int{0, 1}}}
			named := nameEdges(edges, geo.NewSegmentIndex(tt.guides))
			if got := datasets.Class(edges[0].Tag); got != tt.want {
				t.Errorf("class %v, want %v", got, tt.want)
			}
			if wantNamed := tt.want != tt.tag; (named == 1) != wantNamed {
				t.Errorf("named %d edges, want %v", named, wantNamed)
			}
		})
	}
}
