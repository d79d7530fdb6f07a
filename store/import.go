package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/partition"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
	"github.com/twpayne/go-geos"
)

// srid of every stored geometry: WGS84 longitude, latitude.
const srid = 4326

// Import is a jurisdiction to store: its blocks and, when it has been
// partitioned, its grids as the first version.
type Import struct {
	ID, Name string
	Band     partition.Band
	Blocks   *partition.Blocks
	Result   *partition.Result // optional
	// Townships, when given, stand between the district and its
	// communities: each community goes to the one covering most of it.
	Townships []datasets.Region
	Author    string
	Reason    string
}

// Import stores a new jurisdiction in one transaction: the district (the
// jurisdiction itself), its communities, blocks and block links, and its grids
// as version 1 when im.Result is set. An id or community code that exists
// already is refused with ErrConflict, and nothing is written.
func (s *Store) Import(ctx context.Context, im Import) error {
	if err := validID(im.ID); err != nil {
		return err
	}
	b := im.Blocks
	if b == nil || len(b.Blocks) == 0 {
		return fmt.Errorf("import %s: no blocks", im.ID)
	}
	name := cmp.Or(im.Name, im.ID)
	now := time.Now().UTC().Format(time.RFC3339Nano)
	return s.tx(ctx, func(tx txn) error {
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM jurisdictions WHERE id = ?`, im.ID); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("import %s: %w: the jurisdiction exists already", im.ID, ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO jurisdictions (id, name, band_min, band_max, imported_at) VALUES (?, ?, ?, ?, ?)`,
			im.ID, name, im.Band.Min, im.Band.Max, now); err != nil {
			return err
		}
		type unit struct {
			code, level, name, parent string
			shape                     orb.Geometry
		}
		units := []unit{{im.ID, "district", name, "", b.Proj.Unproject(b.Area)}}
		parents, err := townshipOf(b, im.Townships)
		if err != nil {
			return fmt.Errorf("import %s: townships: %w", im.ID, err)
		}
		for _, t := range im.Townships {
			units = append(units, unit{t.Code, "township", cmp.Or(t.Name, t.Code), im.ID, t.Shape})
		}
		for i, c := range b.Communities {
			parent := im.ID
			if parents[i] >= 0 {
				parent = im.Townships[parents[i]].Code
			}
			units = append(units, unit{c.Code, "community", cmp.Or(c.Name, c.Code), parent, b.Proj.Unproject(c.Shape)})
		}
		for _, u := range units {
			var other string
			switch err := tx.GetContext(ctx, &other, `SELECT jurisdiction FROM units WHERE code = ?`, u.code); {
			case err == nil:
				return fmt.Errorf("import %s: %w: unit code %q is already used by jurisdiction %q (codes are unique across the store)", im.ID, ErrConflict, u.code, other)
			case !isNoRows(err):
				return err
			}
			g, err := ewkb.Marshal(u.shape, srid)
			if err != nil {
				return fmt.Errorf("unit %s: %w", u.code, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO units (jurisdiction, code, level, name, parent, geom) VALUES (?, ?, ?, ?, ?, ?)`,
				im.ID, u.code, u.level, u.name, u.parent, g); err != nil {
				return fmt.Errorf("unit %s: %w", u.code, err)
			}
		}
		if err := insertBlocks(ctx, tx, im.ID, b); err != nil {
			return err
		}
		if err := insertMapLayers(ctx, tx, im.ID, b); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		if im.Result == nil {
			return nil
		}
		return insertVersion(ctx, tx, im.ID, 1, cmp.Or(im.Author, "import"), cmp.Or(im.Reason, "partitioned on import"), now, gridRows(im.Result))
	})
}

// townshipOf gives each community of b the township covering most of it
// (-1 without townships, or where none meets it).
func townshipOf(b *partition.Blocks, townships []datasets.Region) ([]int, error) {
	comms := make([]orb.MultiPolygon, len(b.Communities))
	for i, c := range b.Communities {
		comms[i] = c.Shape
	}
	shapes := make([]orb.MultiPolygon, len(townships))
	for i, t := range townships {
		shapes[i] = b.Proj.Project(t.Shape.Clone()).(orb.MultiPolygon)
	}
	return geo.LargestOverlap(geos.NewContext(), comms, shapes)
}

func insertBlocks(ctx context.Context, tx txn, id string, b *partition.Blocks) error {
	blk, err := tx.PreparexContext(ctx, `INSERT INTO blocks (jurisdiction, id, community, households, area_m2, geom) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer blk.Close()
	for i, bl := range b.Blocks {
		g, err := ewkb.Marshal(b.Proj.Unproject(bl.Shape), srid)
		if err != nil {
			return fmt.Errorf("block %d: %w", i, err)
		}
		if _, err := blk.ExecContext(ctx, id, i, b.Communities[bl.Community].Code, bl.Households, bl.Area, g); err != nil {
			return fmt.Errorf("block %d: %w", i, err)
		}
	}
	type key struct {
		u, v  int
		class datasets.Class
	}
	lengths := map[key]float64{}
	for _, e := range b.Edges {
		u, v := e.Faces[0], e.Faces[1]
		if u < 0 || v < 0 || u == v {
			continue
		}
		lengths[key{min(u, v), max(u, v), datasets.Class(e.Tag)}] += e.Length()
	}
	keys := make([]key, 0, len(lengths))
	for k := range lengths {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.u, b.u), cmp.Compare(a.v, b.v), cmp.Compare(a.class, b.class))
	})
	link, err := tx.PreparexContext(ctx, `INSERT INTO block_links (jurisdiction, u, v, class, length_m) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer link.Close()
	for _, k := range keys {
		if _, err := link.ExecContext(ctx, id, k.u, k.v, k.class.String(), lengths[k]); err != nil {
			return fmt.Errorf("link %d–%d: %w", k.u, k.v, err)
		}
	}
	return nil
}

// insertMapLayers stores what the map draws beside the grids: each
// household point with its block, and each barrier line with its class.
func insertMapLayers(ctx context.Context, tx txn, id string, b *partition.Blocks) error {
	var rows [][]any
	for i, h := range b.Points {
		if bi := b.HouseholdBlock[i]; bi >= 0 {
			rows = append(rows, []any{id, i, bi, h.Count, h.Point[0], h.Point[1]})
		}
	}
	if err := insertRows(ctx, tx, "households", []string{"jurisdiction", "id", "block", "households", "lon", "lat"}, rows); err != nil {
		return fmt.Errorf("households: %w", err)
	}
	rows = rows[:0]
	for i, l := range b.Features {
		g, err := ewkb.Marshal(b.Proj.Unproject(l.Line.Clone()), srid)
		if err != nil {
			return fmt.Errorf("barrier %d: %w", i, err)
		}
		rows = append(rows, []any{id, i, datasets.Class(l.Tag).String(), g})
	}
	if err := insertRows(ctx, tx, "barriers", []string{"jurisdiction", "id", "class", "geom"}, rows); err != nil {
		return fmt.Errorf("barriers: %w", err)
	}
	return nil
}

// insertRows inserts rows into table many to a statement: one round trip
// for hundreds of rows matters on a remote PostgreSQL.
func insertRows(ctx context.Context, tx txn, table string, cols []string, rows [][]any) error {
	const batch = 400
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		args := make([]any, 0, (end-start)*len(cols))
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", end-start), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// gridRow is a grid as stored.
type gridRow struct {
	Grid
	blocks []int
}

// NewGrids returns a partition's grids in the form a Change writes.
func NewGrids(r *partition.Result) []NewGrid {
	rows := gridRows(r)
	out := make([]NewGrid, len(rows))
	for i, row := range rows {
		out[i] = NewGrid{Grid: row.Grid, Blocks: row.blocks}
	}
	return out
}

// gridRows turns a partition's grids into rows: WGS84 outlines, community
// codes, and the grid of each block.
func gridRows(r *partition.Result) []gridRow {
	rows := make([]gridRow, len(r.Grids))
	for gi, g := range r.Grids {
		var shape orb.Geometry = r.Blocks.Proj.Unproject(g.Shape)
		if len(g.Exclave) > 0 {
			mp := append(orb.MultiPolygon{g.Shape}, g.Exclave...)
			shape = r.Blocks.Proj.Unproject(mp)
		}
		rows[gi] = gridRow{Grid: Grid{
			Code: g.Code, Community: r.Blocks.Communities[g.Community].Code,
			Households: g.Households, AreaM2: math.Round(g.Area*10) / 10, Exception: g.Exception, Shape: shape,
		}, blocks: g.Blocks}
	}
	return rows
}

// insertVersion stores grids as version n of jurisdiction id and makes it
// the current one.
func insertVersion(ctx context.Context, tx txn, id string, n int, author, reason, at string, rows []gridRow) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO versions (jurisdiction, version, author, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, n, author, reason, at); err != nil {
		return err
	}
	if err := insertGrids(ctx, tx, id, n, rows); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE jurisdictions SET version = ? WHERE id = ?`, n, id)
	return err
}

// insertGrids stores grids and their blocks under version n.
func insertGrids(ctx context.Context, tx txn, id string, n int, rows []gridRow) error {
	grid, err := tx.PreparexContext(ctx, `INSERT INTO grids (jurisdiction, version, code, community, households, area_m2, exception, locked,
		min_lon, min_lat, max_lon, max_lat, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer grid.Close()
	member, err := tx.PreparexContext(ctx, `INSERT INTO grid_blocks (jurisdiction, version, block, grid) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer member.Close()
	for _, r := range rows {
		g, err := ewkb.Marshal(r.Shape, srid)
		if err != nil {
			return fmt.Errorf("grid %s: %w", r.Code, err)
		}
		bd := r.Shape.Bound()
		if _, err := grid.ExecContext(ctx, id, n, r.Code, r.Community, r.Households, r.AreaM2, r.Exception, r.Locked,
			bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1], g); err != nil {
			return fmt.Errorf("grid %s: %w", r.Code, err)
		}
		for _, bi := range r.blocks {
			if _, err := member.ExecContext(ctx, id, n, bi, r.Code); err != nil {
				return fmt.Errorf("grid %s, block %d: %w", r.Code, bi, err)
			}
		}
	}
	return nil
}

// validID checks a jurisdiction id: it appears in URLs and codes.
func validID(id string) error {
	if id == "" || len(id) > 64 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return invalidf("id %q: want 1–64 letters, digits, '-', '_' or '.'", id)
	}
	return nil
}
