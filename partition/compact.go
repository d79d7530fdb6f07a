package partition

// compactWeight prices a grid's spread: the area-weighted mean squared
// distance of its ground from its centroid, in m². A disc of 80,000 m²
// spreads 12,700 m², a 4:1 rectangle of the same area 28,000 m²: at 0.06 the
// difference is worth some 900 m of side street as boundary, enough to round
// off a grid without pulling its edge off the streets.
const compactWeight = 0.06

// moments holds the area moments of every part of a placed graph.
type moments struct {
	sites         []Site
	a, sx, sy, sq []float64
}

func newMoments(g *Graph, part []int32, parts int) *moments {
	m := &moments{sites: g.Sites, a: make([]float64, parts), sx: make([]float64, parts), sy: make([]float64, parts), sq: make([]float64, parts)}
	for v, p := range part {
		m.add(int32(v), p, 1)
	}
	return m
}

// add adds node v to part p (sign 1) or takes it out (sign -1).
func (m *moments) add(v, p int32, sign float64) {
	s := m.sites[v]
	a := sign * s.Area
	m.a[p] += a
	m.sx[p] += a * s.X
	m.sy[p] += a * s.Y
	m.sq[p] += a * (s.X*s.X + s.Y*s.Y)
}

func spread(a, sx, sy, sq float64) float64 {
	if a <= 0 {
		return 0
	}
	return (sq - (sx*sx+sy*sy)/a) / a
}

// cost is the compactness cost of part p.
func (m *moments) cost(p int32) float64 {
	return compactWeight * spread(m.a[p], m.sx[p], m.sy[p], m.sq[p])
}

// delta is the change in compactness cost if v moved from part p to part q.
func (m *moments) delta(v, p, q int32) float64 {
	s := m.sites[v]
	a := s.Area
	x, y, r := a*s.X, a*s.Y, a*(s.X*s.X+s.Y*s.Y)
	after := spread(m.a[p]-a, m.sx[p]-x, m.sy[p]-y, m.sq[p]-r) + spread(m.a[q]+a, m.sx[q]+x, m.sy[q]+y, m.sq[q]+r)
	return compactWeight*after - m.cost(p) - m.cost(q)
}

// compactness is the compactness cost of a whole assignment (0 for a graph
// whose nodes are not placed).
func compactness(g *Graph, part []int32, parts int) float64 {
	if g.Sites == nil {
		return 0
	}
	m := newMoments(g, part, parts)
	var c float64
	for p := range int32(parts) {
		c += m.cost(p)
	}
	return c
}
