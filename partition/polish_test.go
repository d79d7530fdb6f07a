package partition

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// rectBlocks builds the blocks of a lattice of rectangles, its columns and
// rows as wide and high as widths and heights say (metres), each holding 100
// households, cut by lines of the class that class gives for the line
// between columns i and i+1 (vertical) or rows i and i+1. It returns the
// blocks and the lattice cell of each block.
func rectBlocks(t *testing.T, widths, heights []float64, class func(vertical bool, i int) datasets.Class) (*Blocks, [][2]int) {
	t.Helper()
	cols, rows := len(widths), len(heights)
	xs, ys := []float64{0}, []float64{0}
	for _, w := range widths {
		xs = append(xs, xs[len(xs)-1]+w)
	}
	for _, h := range heights {
		ys = append(ys, ys[len(ys)-1]+h)
	}
	w, h := xs[cols], ys[rows]
	proj := geo.NewLocal(orb.Point{0, 51})
	at := func(x, y float64) orb.Point { return proj.Inverse(orb.Point{x - w/2, y - h/2}) }
	in := Input{Boundary: orb.MultiPolygon{{{at(0, 0), at(w, 0), at(w, h), at(0, h), at(0, 0)}}}}
	for i := 1; i < cols; i++ {
		x := xs[i]
		in.Barriers = append(in.Barriers, datasets.Barrier{Class: class(true, i-1), Line: orb.LineString{at(x, -10), at(x, h+10)}})
	}
	for j := 1; j < rows; j++ {
		y := ys[j]
		in.Barriers = append(in.Barriers, datasets.Barrier{Class: class(false, j-1), Line: orb.LineString{at(-10, y), at(w+10, y)}})
	}
	for i := range cols {
		for j := range rows {
			in.Households = append(in.Households, datasets.Households{Point: at((xs[i]+xs[i+1])/2, (ys[j]+ys[j+1])/2), Count: 100})
		}
	}
	b, err := BuildBlocks(context.Background(), in, BlockOptions{Band: DefaultBand})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Blocks) != cols*rows {
		t.Fatalf("%d blocks, want %d", len(b.Blocks), cols*rows)
	}
	cells := make([][2]int, len(b.Blocks))
	for v, blk := range b.Blocks {
		c, _ := planar.CentroidArea(blk.Shape)
		q := proj.Forward(b.Proj.Inverse(c)) // in the lattice's own metres
		i, _ := slices.BinarySearch(xs, q[0]+w/2)
		j, _ := slices.BinarySearch(ys, q[1]+h/2)
		cells[v] = [2]int{i - 1, j - 1}
	}
	return b, cells
}

// TestRoundOff checks the last pass of the partitioner: it makes grids
// rounder, or their boundaries stronger, never at the price of the band, of
// a grid's unity, of a main feature inside a grid, or of a boundary off the
// features.
func TestRoundOff(t *testing.T) {
	street := func(bool, int) datasets.Class { return datasets.ClassStreet }
	square := []float64{100, 100}
	tests := []struct {
		name    string
		heights []float64
		class   func(vertical bool, i int) datasets.Class
		grid    map[[2]int]int // lattice cell → grid; the rest is grid 1
		moves   bool
	}{
		// Two interlocking L shapes of 400 households on a 4×2 lattice.
		{"two L shapes round off", square, street, map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {2, 0}: 0, {0, 1}: 0}, true},
		// The same, but the line between the rows is a main road: the L
		// shapes may change only where no main road ends up inside a grid.
		{"a main road between the rows", square, func(vertical bool, _ int) datasets.Class {
			if vertical {
				return datasets.ClassStreet
			}
			return datasets.ClassPrimary
		}, map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {2, 0}: 0, {0, 1}: 0}, true},
		// Lines between columns that are cuts between buildings, not
		// streets: no move may make one a boundary.
		{"cuts between buildings do not become boundaries", square, func(vertical bool, _ int) datasets.Class {
			if vertical {
				return datasets.ClassNone
			}
			return datasets.ClassStreet
		}, map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {2, 0}: 0, {0, 1}: 0}, true},
		// A short stretch of main road between the third and fourth columns,
		// where the top row is thin, parts a grid of five blocks from one of
		// three: moving the thin block across it would square both off at
		// little cost, yet the road stays a boundary.
		{"a short main road stays a boundary", []float64{100, 15}, func(vertical bool, i int) datasets.Class {
			if vertical && i == 2 {
				return datasets.ClassSecondary
			}
			return datasets.ClassStreet
		}, map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {0, 1}: 0, {1, 1}: 0, {2, 1}: 0}, false},
		// Two squares already: nothing to gain.
		{"two squares stay", square, street, map[[2]int]int{{0, 0}: 0, {1, 0}: 0, {0, 1}: 0, {1, 1}: 0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, cells := rectBlocks(t, []float64{100, 100, 100, 100}, tt.heights, tt.class)
			part := make([]int, len(b.Blocks))
			for v, c := range cells {
				part[v] = 1
				if g, ok := tt.grid[c]; ok {
					part[v] = g
				}
			}
			before := shapeFigures(b, part)
			old := append([]int(nil), part...)
			moved := roundOff(b, DefaultBand, part)
			for _, e := range b.Edges {
				u, v := e.Faces[0], e.Faces[1]
				if u < 0 || v < 0 {
					continue
				}
				c := datasets.Class(e.Tag)
				was, is := old[u] != old[v], part[u] != part[v]
				if !was && is && !c.IsFeature() {
					t.Errorf("a %v edge became a grid boundary", c)
				}
				if was && !is && c.IsMajor() {
					t.Errorf("a %v edge that was a grid boundary ended inside a grid", c)
				}
			}
			after := shapeFigures(b, part)
			t.Logf("moved %d: %+v -> %+v", moved, before, after)
			if (moved > 0) != tt.moves {
				t.Errorf("moved %d blocks, want moves: %v", moved, tt.moves)
			}
			if moved > 0 && after.objective() >= before.objective() {
				t.Errorf("boundary costs less Polsby–Popper come to %.1f after, %.1f before: want a gain", after.objective(), before.objective())
			}
			if after.majorInside > before.majorInside || after.offFeature > before.offFeature {
				t.Errorf("main features inside grids %.0f m (was %.0f), boundary off features %.0f m (was %.0f): want neither to grow", after.majorInside, before.majorInside, after.offFeature, before.offFeature)
			}
			for g, hh := range after.households {
				if !DefaultBand.Contains(hh) {
					t.Errorf("grid %d holds %d households, outside the band", g, hh)
				}
			}
			if after.pieces != 2 {
				t.Errorf("%d connected pieces in 2 grids", after.pieces)
			}
		})
	}
}

type figures struct {
	value                   float64 // Σ min(PP, ppEnough)
	cost                    float64 // of the edges between blocks, as boundaries or inside grids
	majorInside, offFeature float64 // metres
	households              map[int]int
	pieces                  int
}

// shapeFigures measures an assignment of blocks to grids from the blocks'
// geometry, independently of roundOff's bookkeeping.
func shapeFigures(b *Blocks, part []int) figures {
	f := figures{households: map[int]int{}}
	area, perim := map[int]float64{}, map[int]float64{}
	for v, blk := range b.Blocks {
		area[part[v]] += blk.Area
		f.households[part[v]] += blk.Households
	}
	adj := make([][]int, len(b.Blocks))
	for _, e := range b.Edges {
		u, v := e.Faces[0], e.Faces[1]
		c := datasets.Class(e.Tag)
		switch {
		case u < 0 || v < 0:
			for _, x := range []int{u, v} {
				if x >= 0 {
					perim[part[x]] += e.Length()
				}
			}
		case part[u] == part[v]:
			_, in := costOf(c, e.Length())
			f.cost += in
			adj[u] = append(adj[u], v)
			adj[v] = append(adj[v], u)
			if c.IsMajor() {
				f.majorInside += e.Length()
			}
		default:
			cut, _ := costOf(c, e.Length())
			f.cost += cut
			perim[part[u]] += e.Length()
			perim[part[v]] += e.Length()
			if !c.IsFeature() {
				f.offFeature += e.Length()
			}
		}
	}
	for g, a := range area {
		f.value += min(4*math.Pi*a/(perim[g]*perim[g]), ppEnough)
	}
	seen := make([]bool, len(b.Blocks))
	for s := range b.Blocks {
		if seen[s] {
			continue
		}
		f.pieces++
		stack := []int{s}
		seen[s] = true
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, y := range adj[x] {
				if !seen[y] {
					seen[y] = true
					stack = append(stack, y)
				}
			}
		}
	}
	return f
}

// objective is what roundOff lowers.
func (f figures) objective() float64 { return f.cost - ppWeight*f.value }
