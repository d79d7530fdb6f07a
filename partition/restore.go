package partition

import (
	"fmt"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Saved is a jurisdiction's blocks as a store keeps them (WGS84): enough to
// partition it again without the files it was read from.
type Saved struct {
	Boundary    orb.MultiPolygon
	Communities []SavedCommunity
	Blocks      []SavedBlock
	Links       []SavedLink
}

// SavedCommunity is a community of a Saved jurisdiction.
type SavedCommunity struct {
	Code, Name string
	Shape      orb.MultiPolygon
}

// SavedBlock is a block of a Saved jurisdiction.
type SavedBlock struct {
	Community  string
	Households int
	Shape      orb.Polygon
}

// SavedLink is the length of barrier of one class between two blocks.
type SavedLink struct {
	U, V   int
	Class  datasets.Class
	Length float64
}

// Restore rebuilds blocks from what a store kept. The blocks have no edge
// geometry: they can be partitioned, but the quality figures that measure
// barriers (Result.Measure) need the original run.
func Restore(s Saved) (*Blocks, error) {
	if len(s.Blocks) == 0 {
		return nil, fmt.Errorf("restore: no blocks")
	}
	b := &Blocks{Proj: geo.NewLocal(s.Boundary.Bound().Center())}
	b.Area = b.Proj.Project(s.Boundary.Clone()).(orb.MultiPolygon)
	index := map[string]int{}
	for i, c := range s.Communities {
		index[c.Code] = i
		b.Communities = append(b.Communities, Community{Code: c.Code, Name: c.Name, Shape: b.Proj.Project(c.Shape.Clone()).(orb.MultiPolygon)})
	}
	for i, sb := range s.Blocks {
		ci, ok := index[sb.Community]
		if !ok {
			return nil, fmt.Errorf("restore: block %d is in community %q, which is not saved", i, sb.Community)
		}
		shape := b.Proj.Project(sb.Shape.Clone()).(orb.Polygon)
		b.Blocks = append(b.Blocks, Block{Shape: shape, Households: sb.Households, Community: ci, Area: planar.Area(shape)})
	}
	for _, l := range s.Links {
		if l.U < 0 || l.V < 0 || l.U >= len(b.Blocks) || l.V >= len(b.Blocks) {
			return nil, fmt.Errorf("restore: link %d–%d names a block that does not exist", l.U, l.V)
		}
		if b.Blocks[l.U].Community != b.Blocks[l.V].Community {
			continue
		}
		b.restored = append(b.restored, contact{u: l.U, v: l.V, class: l.Class, length: l.Length})
	}
	return b, nil
}
