package partition

import (
	"math/rand/v2"

	"github.com/gridline/gridline/datasets"
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
