package partition

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"
)

// Input is a jurisdiction to partition. Coordinates are WGS84.
type Input struct {
	Boundary    orb.MultiPolygon
	Communities []datasets.Region // optional: the level above grids
	Barriers    []datasets.Barrier
	// Guides cut no block: they name the block edges they run along (see
	// nameEdges). With units as the atoms, streets, rivers and ridges are
	// guides, so that no unit is cut and grid boundaries still prefer the
	// unit edges that stand on a feature.
	Guides     []datasets.Barrier
	Households []datasets.Households
}

// Community is a unit of the level above grids, in projected metres.
type Community struct {
	Code, Name string
	Shape      orb.MultiPolygon
}

// A Block is a face of the barrier network: the atom of a grid.
type Block struct {
	Shape      orb.Polygon // projected metres
	Households int
	Community  int
	Area       float64
}

// Blocks is a jurisdiction cut into blocks, with the edges between them.
type Blocks struct {
	Proj        geo.Local
	Area        orb.MultiPolygon // the jurisdiction, projected
	Communities []Community
	Blocks      []Block
	Edges       []geo.Edge       // between blocks, or a block and the outside (-1)
	Dangles     []geo.Edge       // barrier ends that bound no block
	Barriers    []geo.TaggedLine // as read, projected
	// Features are the barriers with each corridor of parallel tracks or
	// carriageways collapsed into one line: what the blocks are cut from,
	// unless Guided.
	Features []geo.TaggedLine
	// Guided says the features only guide the choice among block edges and
	// cut no block (units with OSM): an edge stands for a feature that runs
	// within guideTolerance of it.
	Guided bool
	Notes  []Note // what was repaired, dropped or cut, for the report
	// Points are the households located in blocks (HouseholdBlock gives the
	// block of each); Outside counts those outside the jurisdiction.
	Points         []datasets.Households
	HouseholdBlock []int
	Outside        int

	restored []contact // the contacts of blocks restored from a store (see Restore)
}

// Note is something the run did to its input or could not do, for the report.
type Note struct {
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	Where   orb.Point `json:"where,omitzero"` // WGS84
}

// Warning reports whether the note tells of input changed or left out (a
// geometry repaired, households outside the boundary, blocks in no
// community) or of a step that failed: what a user must hear of even
// without the report.
func (n Note) Warning() bool {
	switch n.Kind {
	case "repaired", "outside", "community-gap", "resplit":
		return true
	}
	return false
}

// BlockOptions tune how blocks are built.
type BlockOptions struct {
	Band Band
	// SplitAbove is the household count above which a block is cut between
	// its buildings (default 4/5 of Max): a block just under Max would leave
	// a small neighbour no grid to join. SplitBelow is what the cuts aim
	// under (default Max/2): pieces smaller than a grid leave the solver room
	// to balance.
	SplitAbove, SplitBelow int
}

func (o BlockOptions) withDefaults() BlockOptions {
	if o.SplitBelow <= 0 {
		o.SplitBelow = max(o.Band.Max/2, 1)
	}
	if o.SplitAbove <= 0 {
		o.SplitAbove = max(o.Band.Max*4/5, o.SplitBelow)
	}
	return o
}

// BuildBlocks cuts the jurisdiction into blocks. Households are located in
// blocks; a block with more households than the band's Max is cut between its
// buildings (where it has several); a block that a community line crosses with
// households or real area on both sides is cut along that line, so that every
// block, and so every grid, lies in one community.
func BuildBlocks(ctx context.Context, in Input, opt BlockOptions) (_ *Blocks, err error) {
	defer geo.Recover(&err)
	if len(in.Boundary) == 0 {
		return nil, fmt.Errorf("blocks: empty boundary")
	}
	opt = opt.withDefaults()
	gctx := geos.NewContext()
	b := &Blocks{Proj: geo.NewLocal(in.Boundary.Bound().Center())}

	area, reason, err := geo.Repair(gctx, b.Proj.Project(in.Boundary))
	if err != nil {
		return nil, fmt.Errorf("boundary: %w", err)
	}
	if reason != "" {
		b.note("repaired", "boundary was invalid (%s) and was repaired", reason)
	}
	// The arrangement's coordinates are snap-rounded to geo.GridSize; round
	// the jurisdiction the same way, so that its blocks tile exactly it.
	area, err = geo.SnapRound(gctx, area)
	if err != nil {
		return nil, fmt.Errorf("boundary: %w", err)
	}
	b.Area = area
	if err := b.setCommunities(gctx, in.Communities); err != nil {
		return nil, err
	}
	for _, br := range slices.Concat(in.Barriers, in.Guides) {
		ls := b.Proj.Project(br.Line).(orb.LineString)
		b.Barriers = append(b.Barriers, geo.TaggedLine{Line: ls, Tag: int(br.Class)})
	}
	b.Points = in.Households

	// Arrange the collapsed features, then add the lines that arrangement
	// shows are missing and arrange once more. Guides are features to
	// measure against, but not lines to cut along.
	b.Features = geo.Collapse(b.Barriers, corridorWidth)
	lines := b.Features
	if len(in.Guides) > 0 {
		lines = geo.Collapse(b.Barriers[:len(in.Barriers)], corridorWidth)
	}
	// Clipped once for both arrangements: clipping is most of the work for
	// the lines that cross the boundary.
	if lines, err = geo.Clip(ctx, gctx, b.Area, lines); err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	arr, err := b.arrange(ctx, gctx, lines)
	if err != nil {
		return nil, err
	}
	cg := b.communityGeoms(gctx)
	// What the first arrangement shows is missing goes in at once, so that
	// the linework is noded only twice: main features that end inside a block
	// (a railway into a tunnel, a road into an estate) are carried on across
	// it, blocks that straddle a community line are cut along it, and blocks
	// too heavy for a grid are cut between their buildings.
	extra := arr.Extensions(isMajor, danglingReach, int(datasets.ClassNone))
	if len(b.Communities) > 1 {
		cuts, err := b.communityCuts(ctx, gctx, cg, arr)
		if err != nil {
			return nil, err
		}
		extra = append(extra, cuts...)
	}
	for _, cuts := range b.buildingCuts(gctx, arr.Faces, opt, nil) {
		extra = append(extra, cuts...)
	}
	if len(extra) > 0 {
		if extra, err = geo.Clip(ctx, gctx, b.Area, extra); err != nil {
			return nil, fmt.Errorf("blocks: %w", err)
		}
		if arr, err = b.arrange(ctx, gctx, slices.Concat(lines, extra)); err != nil {
			return nil, err
		}
	}
	b.Guided = len(in.Guides) > 0
	if err := b.finish(ctx, gctx, cg, arr); err != nil {
		return nil, err
	}
	return b, nil
}

// Resplit returns the blocks again with each block that holds a point of at
// (WGS84) cut between its buildings into pieces below SplitBelow, however
// few households it holds: the blocks that crowd a grid the solver could not
// bring into the band (see Run). Only those blocks are arranged again (see
// cutBlock). It returns b itself when there is nothing to cut.
func (b *Blocks) Resplit(ctx context.Context, at []orb.Point, opt BlockOptions) (_ *Blocks, err error) {
	defer geo.Recover(&err)
	if b.restored != nil {
		return nil, errors.New("blocks: restored blocks keep no edges to cut along")
	}
	opt = opt.withDefaults()
	opt.SplitAbove = math.MaxInt // blocks above it were cut when built
	gctx := geos.NewContext()
	nb := *b
	nb.Notes = slices.Clone(b.Notes)
	nb.Blocks = slices.Clone(b.Blocks)
	nb.Edges = slices.Clone(b.Edges)
	nb.Dangles = slices.Clone(b.Dangles)
	nb.HouseholdBlock = slices.Clone(b.HouseholdBlock)
	faces := make([]orb.Polygon, len(b.Blocks))
	for i, blk := range b.Blocks {
		faces[i] = blk.Shape
	}
	cut := false
	for k, cuts := range nb.buildingCuts(gctx, faces, opt, at) {
		if len(cuts) == 0 {
			continue
		}
		if err := nb.cutBlock(ctx, gctx, k, cuts); err != nil {
			return nil, err
		}
		cut = true
	}
	if !cut {
		return b, nil
	}
	// The splicing matches nodes to edges within a tolerance; were a vertex
	// missed, the grids' coverage union would quietly give a wrong outline.
	if p, ok := nb.unshared(); ok {
		return nil, fmt.Errorf("blocks: cut again, a block's edge at %v is on no neighbour's outline", nb.Proj.Inverse(p))
	}
	return &nb, nil
}

// unshared returns the midpoint of a segment of a block's outline that no
// other block's outline has, vertex for vertex, and that does not lie on the
// jurisdiction's boundary: where the blocks fail to be the coverage that
// geo.Dissolve needs (a vertex one block has and its neighbour lacks).
func (b *Blocks) unshared() (orb.Point, bool) {
	type seg [2]orb.Point
	key := func(p, q orb.Point) seg {
		if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
			p, q = q, p
		}
		return seg{p, q}
	}
	count := map[seg]int{}
	for _, blk := range b.Blocks {
		for _, r := range blk.Shape {
			for j := 0; j+1 < len(r); j++ {
				count[key(r[j], r[j+1])]++
			}
		}
	}
	boundary := ringIndex(b.Area)
	var first orb.Point
	found := false
	for s, n := range count {
		mid := orb.Point{(s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2}
		if n == 1 && !boundary.Near(mid, 2*geo.GridSize) {
			// The lowest, then leftmost, such point: the same one every run.
			if !found || mid[1] < first[1] || (mid[1] == first[1] && mid[0] < first[0]) {
				first, found = mid, true
			}
		}
	}
	return first, found
}

// cutBlock cuts block k along lines. The block alone is arranged with them;
// its first piece keeps its index and the others are appended, each in its
// community. The block's edges are split where a cut meets them, and the
// meeting point is put into the neighbour's outline as well, so that blocks
// still share every vertex along their common edges (a coverage, as
// geo.Dissolve needs).
func (b *Blocks) cutBlock(ctx context.Context, gctx *geos.Context, k int, lines []geo.TaggedLine) error {
	old := b.Blocks[k]
	arr, err := geo.Arrange(ctx, gctx, orb.MultiPolygon{old.Shape}, lines, int(datasets.ClassBoundary))
	if err != nil {
		return fmt.Errorf("blocks: cutting block %d: %w", k, err)
	}
	if len(arr.Faces) < 2 {
		return nil
	}
	id := make([]int, len(arr.Faces))
	for i, f := range arr.Faces {
		id[i] = k
		if i > 0 {
			id[i] = len(b.Blocks)
			b.Blocks = append(b.Blocks, Block{})
		}
		b.Blocks[id[i]] = Block{Shape: f, Area: planar.Area(f), Community: old.Community}
	}
	pieces := geo.NewPolygonIndex(arr.Faces)
	for i, bi := range b.HouseholdBlock {
		if bi != k {
			continue
		}
		fi := max(pieces.Locate(b.Proj.Forward(b.Points[i].Point)), 0) // on a cut: the first piece
		b.HouseholdBlock[i] = id[fi]
		b.Blocks[id[fi]].Households += b.Points[i].Count
	}

	// The old edges around the block, split where the cuts meet them; each
	// part bounds the piece found just beside it.
	var nodes []orb.Point
	for _, e := range arr.Edges {
		if e.Faces[0] >= 0 {
			nodes = append(nodes, e.Line[0], e.Line[len(e.Line)-1])
		}
	}
	for ei, n := 0, len(b.Edges); ei < n; ei++ {
		e := b.Edges[ei]
		if e.Faces[0] != k && e.Faces[1] != k {
			continue
		}
		parts, inserted := geo.SplitLine(e.Line, nodes, 2*geo.GridSize)
		for _, other := range e.Faces {
			if other >= 0 && other != k && len(inserted) > 0 {
				// A copy: the blocks cut again share their outlines.
				shape := b.Blocks[other].Shape.Clone()
				for _, p := range inserted {
					geo.InsertVertex(shape, p, 2*geo.GridSize)
				}
				b.Blocks[other].Shape = shape
			}
		}
		for j, part := range parts {
			// The pieces a tenth of a millimetre to either side of the part:
			// one where the block was on one side, two where on both.
			var beside []int
			left, right := geo.Beside(part, 1e-4)
			for _, p := range []orb.Point{left, right} {
				if fi := pieces.Locate(p); fi >= 0 {
					beside = append(beside, id[fi])
				}
			}
			f := e.Faces
			for s := range f {
				if f[s] == k && len(beside) > 0 {
					f[s], beside = beside[0], beside[1:]
				}
			}
			if f[0] > f[1] {
				f[0], f[1] = f[1], f[0]
			}
			pe := geo.Edge{Line: part, Tag: e.Tag, Faces: f}
			if j == 0 {
				b.Edges[ei] = pe
			} else {
				b.Edges = append(b.Edges, pe)
			}
		}
	}
	// The cuts' own edges, between pieces, and their loose ends.
	for _, e := range arr.Edges {
		if e.Faces[0] >= 0 {
			b.Edges = append(b.Edges, geo.Edge{Line: e.Line, Tag: e.Tag, Faces: [2]int{min(id[e.Faces[0]], id[e.Faces[1]]), max(id[e.Faces[0]], id[e.Faces[1]])}})
		}
	}
	b.Dangles = append(b.Dangles, arr.Dangles...)
	return nil
}

// arrange nodes and polygonizes lines inside the jurisdiction (clipped to
// it) and locates the households in the faces.
func (b *Blocks) arrange(ctx context.Context, gctx *geos.Context, inside []geo.TaggedLine) (*geo.Arrangement, error) {
	arr, err := geo.ArrangeInside(ctx, gctx, b.Area, inside, int(datasets.ClassBoundary))
	if err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	b.locate(arr)
	return arr, nil
}

// finish makes the faces of the final arrangement the blocks: their edges,
// households and communities.
func (b *Blocks) finish(ctx context.Context, gctx *geos.Context, cg *communityGeoms, arr *geo.Arrangement) error {
	b.Edges, b.Dangles = arr.Edges, arr.Dangles
	if b.Guided {
		named := nameEdges(b.Edges, geo.NewSegmentIndex(b.Features))
		b.note("guides", "%d of %d block edges run along a street, waterway, railway or ridge and take its class", named, len(b.Edges))
	}
	b.Blocks = make([]Block, len(arr.Faces))
	for i, f := range arr.Faces {
		b.Blocks[i] = Block{Shape: f, Area: planar.Area(f)}
	}
	for i, fi := range b.HouseholdBlock {
		if fi >= 0 {
			b.Blocks[fi].Households += b.Points[i].Count
		}
	}
	if err := b.assignCommunities(ctx, gctx, cg); err != nil {
		return err
	}
	b.joinStrays()
	if b.Outside > 0 {
		b.note("outside", "%d household points lie outside the boundary and were left out", b.Outside)
	}
	return nil
}

// danglingReach is how far a main feature that ends inside a block is carried
// on to meet another line.
const danglingReach = 150.0 // metres

func isMajor(tag int) bool { return datasets.Class(tag).IsMajor() }

func (b *Blocks) note(kind, format string, args ...any) {
	b.Notes = append(b.Notes, Note{Kind: kind, Message: fmt.Sprintf(format, args...)})
}

func (b *Blocks) noteAt(kind string, at orb.Point, format string, args ...any) {
	b.Notes = append(b.Notes, Note{Kind: kind, Message: fmt.Sprintf(format, args...), Where: b.Proj.Inverse(at)})
}

// setCommunities projects and repairs the communities. Without any, the whole
// jurisdiction is one community.
func (b *Blocks) setCommunities(gctx *geos.Context, rs []datasets.Region) error {
	if len(rs) == 0 {
		b.Communities = []Community{{Code: "G", Name: "", Shape: b.Area}}
		return nil
	}
	for _, r := range rs {
		shape, reason, err := geo.Repair(gctx, b.Proj.Project(r.Shape))
		if err != nil {
			return fmt.Errorf("community %s (feature %d): %w", r.Code, r.Index, err)
		}
		if reason != "" {
			b.note("repaired", "community %s (feature %d) was invalid (%s) and was repaired", r.Code, r.Index, reason)
		}
		b.Communities = append(b.Communities, Community{Code: r.Code, Name: r.Name, Shape: shape})
	}
	return nil
}

// locate puts every household point in the block (face) that contains it.
func (b *Blocks) locate(arr *geo.Arrangement) {
	ix := geo.NewPolygonIndex(arr.Faces)
	b.HouseholdBlock = make([]int, len(b.Points))
	b.Outside = 0
	for i, h := range b.Points {
		fi := ix.Locate(b.Proj.Forward(h.Point))
		b.HouseholdBlock[i] = fi
		if fi < 0 {
			b.Outside++
		}
	}
}

// faceHouseholds returns the household points in each face.
func (b *Blocks) faceHouseholds(n int) [][]int {
	out := make([][]int, n)
	for i, fi := range b.HouseholdBlock {
		if fi >= 0 {
			out[fi] = append(out[fi], i)
		}
	}
	return out
}

// overlap is the share of a face in one community.
type overlap struct {
	community int
	area      float64
	shape     orb.Geometry
}

// overlaps returns the communities a face lies in, largest share first.
func (b *Blocks) overlaps(gctx *geos.Context, cg *communityGeoms, face orb.Polygon) []overlap {
	fb := face.Bound()
	fg := geo.ToGEOS(gctx, face)
	var out []overlap
	for ci := range b.Communities {
		if !cg.bound[ci].Intersects(fb) || !cg.prep[ci].Intersects(fg) {
			continue
		}
		if cg.prep[ci].Covers(fg) {
			return []overlap{{community: ci, area: planar.Area(face), shape: face}}
		}
		// Clipping the community to the face's box first keeps the overlay
		// small: communities have thousands of vertices, faces a few dozen.
		part := fg.Intersection(cg.shape[ci].ClipByRect(fb.Min[0]-1, fb.Min[1]-1, fb.Max[0]+1, fb.Max[1]+1))
		if a := part.Area(); a > 0 {
			out = append(out, overlap{community: ci, area: a, shape: geo.FromGEOS(part)})
		}
	}
	slices.SortStableFunc(out, func(x, y overlap) int {
		switch {
		case x.area > y.area:
			return -1
		case x.area < y.area:
			return 1
		}
		return 0
	})
	return out
}

// faceOverlaps returns the overlaps of every face (see overlaps), computed on
// as many goroutines as there are processors: the overlay of faces with
// community lines is most of the blocks stage after noding, and each face's
// is independent.
func (b *Blocks) faceOverlaps(ctx context.Context, faces []orb.Polygon) ([][]overlap, error) {
	type worker struct {
		gctx *geos.Context
		cg   *communityGeoms
	}
	out := make([][]overlap, len(faces))
	errs := make([]error, len(faces))
	newWorker := func() worker {
		gctx := geos.NewContext()
		return worker{gctx, b.communityGeoms(gctx)}
	}
	err := parallel(ctx, runtime.GOMAXPROCS(0), len(faces), newWorker, func(w worker, fi int) {
		defer geo.Recover(&errs[fi])
		out[fi] = b.overlaps(w.gctx, w.cg, faces[fi])
	})
	if err != nil {
		return nil, err
	}
	for fi, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("block %d in its communities: %w", fi, err)
		}
	}
	return out, nil
}

// communityGeoms holds the communities as GEOS geometries, for overlays.
type communityGeoms struct {
	shape  []*geos.Geom
	prep   []*geos.PrepGeom
	bound  []orb.Bound
	border []*geos.Geom // the community's rings, as lines
}

func (b *Blocks) communityGeoms(gctx *geos.Context) *communityGeoms {
	n := len(b.Communities)
	cg := &communityGeoms{make([]*geos.Geom, n), make([]*geos.PrepGeom, n), make([]orb.Bound, n), make([]*geos.Geom, n)}
	for i, c := range b.Communities {
		cg.shape[i] = geo.ToGEOS(gctx, c.Shape)
		cg.prep[i] = cg.shape[i].Prepare()
		cg.bound[i] = c.Shape.Bound()
		var rings orb.MultiLineString
		for _, p := range c.Shape {
			for _, r := range p {
				rings = append(rings, orb.LineString(r))
			}
		}
		cg.border[i] = geo.ToGEOS(gctx, rings)
	}
	return cg
}

// Minor shares of a face in another community are cut off along the
// community line only when they matter: they hold households, or real area.
// Slivers (a community line drawn a few metres off the street it follows)
// stay with the community that holds most of the face.
const (
	minCutArea  = 50.0 // m²
	minCutShare = 0.002
)

// communityCuts returns the stretches of community lines that cross blocks in
// a way that matters.
func (b *Blocks) communityCuts(ctx context.Context, gctx *geos.Context, cg *communityGeoms, arr *geo.Arrangement) ([]geo.TaggedLine, error) {
	hh := b.faceHouseholds(len(arr.Faces))
	ovs, err := b.faceOverlaps(ctx, arr.Faces)
	if err != nil {
		return nil, err
	}
	var out []geo.TaggedLine
	for fi, f := range arr.Faces {
		ov := ovs[fi]
		if len(ov) < 2 {
			continue
		}
		total := planar.Area(f)
		cut := false
		for _, o := range ov[1:] {
			if o.area >= minCutArea && o.area >= minCutShare*total {
				cut = true
			}
			for _, hi := range hh[fi] {
				if pointIn(o.shape, b.Proj.Forward(b.Points[hi].Point)) {
					cut = true
				}
			}
		}
		if !cut {
			continue
		}
		fb := f.Bound()
		fg := geo.ToGEOS(gctx, f)
		for _, o := range ov {
			border := cg.border[o.community].ClipByRect(fb.Min[0]-1, fb.Min[1]-1, fb.Max[0]+1, fb.Max[1]+1)
			for _, ls := range geo.Lines(geo.FromGEOS(border.Intersection(fg))) {
				out = append(out, geo.TaggedLine{Line: overshoot(ls), Tag: int(datasets.ClassCommunity)})
			}
		}
	}
	if len(out) > 0 {
		b.note("community-cut", "%d stretches of community lines cut through blocks and were added as block edges", len(out))
	}
	return out, nil
}

// overshoot extends a cut line by half a metre at both ends. A line clipped to
// a face ends at a computed point that is on the face's edge only to within
// rounding; noding would leave it dangling a hair short, and the face uncut.
// Crossing the edge makes the node exact; the overshoot itself is a dangle
// that bounds nothing.
func overshoot(ls orb.LineString) orb.LineString {
	const d = 0.5
	if len(ls) < 2 {
		return ls
	}
	out := slices.Clone(ls)
	ext := func(from, to orb.Point) orb.Point {
		dx, dy := to[0]-from[0], to[1]-from[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			return to
		}
		return orb.Point{to[0] + dx/l*d, to[1] + dy/l*d}
	}
	out[0] = ext(ls[1], ls[0])
	out[len(out)-1] = ext(ls[len(ls)-2], ls[len(ls)-1])
	return out
}

func pointIn(g orb.Geometry, p orb.Point) bool {
	for _, poly := range geo.Polygons(g) {
		if planar.PolygonContains(poly, p) {
			return true
		}
	}
	return false
}

// assignCommunities gives every block the community that holds most of it.
func (b *Blocks) assignCommunities(ctx context.Context, gctx *geos.Context, cg *communityGeoms) error {
	shapes := make([]orb.Polygon, len(b.Blocks))
	for i := range b.Blocks {
		shapes[i] = b.Blocks[i].Shape
	}
	ovs, err := b.faceOverlaps(ctx, shapes)
	if err != nil {
		return err
	}
	orphans, area, households := 0, 0.0, 0
	for i, ov := range ovs {
		if len(ov) == 0 {
			// Outside every community: the nearest one takes it.
			b.Blocks[i].Community = nearest(gctx, cg.shape, b.Blocks[i].Shape)
			orphans++
			area += b.Blocks[i].Area
			households += b.Blocks[i].Households
			continue
		}
		b.Blocks[i].Community = ov[0].community
	}
	// Slivers where the community lines miss the boundary by a hair are
	// noted; ground or homes of note in no community are a gap.
	switch {
	case orphans == 0:
	case households == 0 && area < minCutArea:
		b.note("community-slivers", "%d slivers (%.1f m² in all) lie in no community and joined the nearest one", orphans, area)
	default:
		b.note("community-gap", "%d blocks (%.0f m², %d households) lie in no community and joined the nearest one", orphans, area, households)
	}
	return nil
}

// nearest returns the index of the geometry nearest to the face's centroid.
func nearest(gctx *geos.Context, comm []*geos.Geom, face orb.Polygon) int {
	c, _ := planar.CentroidArea(face)
	pt := gctx.NewPointFromXY(c[0], c[1])
	best, bestD := 0, math.Inf(1)
	for i, g := range comm {
		if d := g.Distance(pt); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// joinStrays gives an empty piece of a community that is cut off from the
// rest of it (a sliver between a community line and the street it follows) to
// the neighbouring community it shares the longest edge with. Pieces with
// households stay: their households belong to their community, and an
// isolated piece is reported instead.
func (b *Blocks) joinStrays() {
	for round := 0; round < 8; round++ {
		moved := 0
		shared := make([]map[int]float64, len(b.Blocks)) // block → other community → edge length
		same := make([][]int, len(b.Blocks))
		for _, e := range b.Edges {
			u, v := e.Faces[0], e.Faces[1]
			if u < 0 || u == v {
				continue
			}
			cu, cv := b.Blocks[u].Community, b.Blocks[v].Community
			if cu == cv {
				same[u] = append(same[u], v)
				same[v] = append(same[v], u)
				continue
			}
			l := e.Length()
			for _, x := range [][3]int{{u, cv}, {v, cu}} {
				if shared[x[0]] == nil {
					shared[x[0]] = map[int]float64{}
				}
				shared[x[0]][x[1]] += l
			}
		}
		// Components of each community; the one with most households (then
		// most area) is its body.
		comp := make([]int, len(b.Blocks))
		for i := range comp {
			comp[i] = -1
		}
		type piece struct {
			blocks []int
			hh     int
			area   float64
		}
		var pieces []piece
		for s := range b.Blocks {
			if comp[s] >= 0 {
				continue
			}
			pc := piece{}
			stack := []int{s}
			comp[s] = len(pieces)
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				pc.blocks = append(pc.blocks, x)
				pc.hh += b.Blocks[x].Households
				pc.area += b.Blocks[x].Area
				for _, y := range same[x] {
					if comp[y] < 0 {
						comp[y] = len(pieces)
						stack = append(stack, y)
					}
				}
			}
			pieces = append(pieces, pc)
		}
		body := map[int]int{}
		for i, pc := range pieces {
			c := b.Blocks[pc.blocks[0]].Community
			j, ok := body[c]
			if !ok || pc.hh > pieces[j].hh || (pc.hh == pieces[j].hh && pc.area > pieces[j].area) {
				body[c] = i
			}
		}
		for i, pc := range pieces {
			c := b.Blocks[pc.blocks[0]].Community
			if body[c] == i || pc.hh > 0 {
				continue
			}
			best, bestL := -1, 0.0
			for _, x := range pc.blocks {
				for oc, l := range shared[x] {
					if l > bestL || (l == bestL && oc < best) {
						best, bestL = oc, l
					}
				}
			}
			if best < 0 {
				continue
			}
			for _, x := range pc.blocks {
				b.Blocks[x].Community = best
			}
			moved++
		}
		if moved == 0 {
			return
		}
	}
}
