package partition

import (
	"fmt"
	"math/rand/v2"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
)

// SyntheticCity returns the block graph of a generated city: a w×h lattice of
// blocks holding 0–20 households each (10 on average), joined by streets of
// 80–150 m — mostly side streets, some footpaths, main roads every few blocks
// and a river — and cut into communities of cw×ch blocks. It is what the
// partitioner's scaling benchmark runs on.
func SyntheticCity(w, h, cw, ch int, seed uint64) (g *Graph, community []int, communities int) {
	rng := rand.New(rand.NewPCG(seed, 0x6772696421))
	n := w * h
	weights := make([]int32, n)
	for i := range weights {
		weights[i] = int32(rng.IntN(21))
	}
	community = make([]int, n)
	perRow := (w + cw - 1) / cw
	communities = perRow * ((h + ch - 1) / ch)
	for y := range h {
		for x := range w {
			community[y*w+x] = (y/ch)*perRow + x/cw
		}
	}
	links := make([]Link, 0, 2*n)
	add := func(u, v int, main bool) {
		length := 80 + 70*rng.Float64()
		class := 0
		switch r := rng.Float64(); {
		case main:
			class = 2
		case r < 0.2:
			class = 1
		case r < 0.22:
			class = 3
		}
		cc := costs[[4]datasets.Class{datasets.ClassStreet, datasets.ClassPath, datasets.ClassPrimary, datasets.ClassRiver}[class]]
		links = append(links, Link{U: int32(u), V: int32(v), Cut: cc.Cut * length, In: cc.In * length})
	}
	for y := range h {
		for x := range w {
			v := y*w + x
			if x+1 < w {
				add(v, v+1, (x+1)%7 == 0)
			}
			if y+1 < h {
				add(v, v+w, (y+1)%9 == 0)
			}
		}
	}
	return NewGraph(weights, links), community, communities
}

// SyntheticCityInput returns the input of a generated city as geometry: a
// w×h lattice of 100 m blocks near (0°, 51°N), split by straight streets
// with a main road every 7th column and 9th row and a river along one row,
// each block holding 0–20 households (10 on average) at its centre, in
// communities of cw×ch blocks. BuildBlocks makes it the w·h blocks that the
// whole partition step (tree cut, annealer, outlines) runs on in the
// scaling benchmark.
func SyntheticCityInput(w, h, cw, ch int, seed uint64) Input {
	const side = 100.0 // metres
	rng := rand.New(rand.NewPCG(seed, 0x6772696421))
	proj := geo.NewLocal(orb.Point{0, 51})
	W, H := side*float64(w), side*float64(h)
	at := func(x, y float64) orb.Point { return proj.Inverse(orb.Point{x - W/2, y - H/2}) }
	rect := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}}}
	}
	in := Input{Boundary: rect(0, 0, W, H)}
	street := func(i, every int) datasets.Class {
		switch {
		case i%every == 0:
			return datasets.ClassPrimary
		case i == h/2:
			return datasets.ClassRiver
		}
		return datasets.ClassStreet
	}
	for i := 1; i < w; i++ {
		x := side * float64(i)
		c := street(i, 7)
		if c == datasets.ClassRiver {
			c = datasets.ClassStreet // the river runs along a row
		}
		in.Barriers = append(in.Barriers, datasets.Barrier{Class: c, Line: orb.LineString{at(x, -10), at(x, H+10)}})
	}
	for j := 1; j < h; j++ {
		y := side * float64(j)
		in.Barriers = append(in.Barriers, datasets.Barrier{Class: street(j, 9), Line: orb.LineString{at(-10, y), at(W+10, y)}})
	}
	for j := range h {
		for i := range w {
			if n := rng.IntN(21); n > 0 {
				in.Households = append(in.Households, datasets.Households{
					Point: at(side*(float64(i)+0.5), side*(float64(j)+0.5)), Count: n})
			}
		}
	}
	for j := 0; j < h; j += ch {
		for i := 0; i < w; i += cw {
			in.Communities = append(in.Communities, datasets.Region{
				Code:  fmt.Sprintf("C%03d%03d", i/cw, j/ch),
				Shape: rect(side*float64(i), side*float64(j), side*float64(min(i+cw, w)), side*float64(min(j+ch, h))),
			})
		}
	}
	return in
}
