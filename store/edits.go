package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/geo"
	"github.com/gridline/gridline/partition"
	"github.com/paulmach/orb"
)

// ErrStale is returned when a change is based on a version that is no longer
// the current one: someone else changed the grids first.
var ErrStale = errors.New("the grids changed since that version")

// Block is an atom of the grids.
type Block struct {
	ID         int
	Community  string
	Households int
	AreaM2     float64
	Shape      orb.Polygon // WGS84
}

// State is a jurisdiction's blocks, their adjacency and their grids at one
// version: what an edit is checked against.
type State struct {
	Jurisdiction Jurisdiction
	Blocks       []Block // indexed by id
	Adjacent     [][]int // the blocks sharing an edge with each block
	GridOf       []string
	Grids        map[string]Grid
}

// Version returns jurisdiction id's current grid version.
func (s *Store) Version(ctx context.Context, id string) (int, error) {
	var v int
	err := s.db.GetContext(ctx, &v, `SELECT version FROM jurisdictions WHERE id = ?`, id)
	if isNoRows(err) {
		return 0, fmt.Errorf("jurisdiction %q: %w", id, ErrNotFound)
	}
	return v, err
}

// blockSet is a jurisdiction's blocks and their adjacency: fixed once
// imported, so a Store keeps them after the first read.
type blockSet struct {
	rev      int // the jurisdiction's blocks_rev when read
	blocks   []Block
	adjacent [][]int
}

// State loads jurisdiction id at its current version. Grids come without
// their outlines (Shape is nil): an edit needs only their blocks.
func (s *Store) State(ctx context.Context, id string) (*State, error) {
	st := &State{Grids: map[string]Grid{}}
	err := s.db.GetContext(ctx, &st.Jurisdiction, jurisdictionColumns+` WHERE id = ?`, id)
	if isNoRows(err) {
		return nil, fmt.Errorf("jurisdiction %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	bs, err := s.blockSet(ctx, id)
	if err != nil {
		return nil, err
	}
	st.Blocks, st.Adjacent = bs.blocks, bs.adjacent
	if st.GridOf, err = membership(ctx, s.db, id, st.Jurisdiction.Version, len(st.Blocks)); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT code, community, households, area_m2, exception, locked FROM grids WHERE jurisdiction = ? AND version = ?`, id, st.Jurisdiction.Version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		g := Grid{Jurisdiction: id, Version: st.Jurisdiction.Version}
		if err := rows.Scan(&g.Code, &g.Community, &g.Households, &g.AreaM2, &g.Exception, &g.Locked); err != nil {
			return nil, err
		}
		st.Grids[g.Code] = g
	}
	return st, rows.Err()
}

func (s *Store) blockSet(ctx context.Context, id string) (*blockSet, error) {
	var rev int
	if err := s.db.GetContext(ctx, &rev, `SELECT blocks_rev FROM jurisdictions WHERE id = ?`, id); err != nil {
		if isNoRows(err) {
			return nil, fmt.Errorf("jurisdiction %q: %w", id, ErrNotFound)
		}
		return nil, err
	}
	if bs, ok := s.blocks.Load(id); ok && bs.(*blockSet).rev == rev {
		return bs.(*blockSet), nil
	}
	bs := &blockSet{rev: rev}
	rows, err := s.db.QueryContext(ctx, `SELECT id, community, households, area_m2, geom FROM blocks WHERE jurisdiction = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b Block
		var geom []byte
		if err := rows.Scan(&b.ID, &b.Community, &b.Households, &b.AreaM2, &geom); err != nil {
			return nil, err
		}
		g, err := decode(geom)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", b.ID, err)
		}
		p, ok := g.(orb.Polygon)
		if !ok || b.ID != len(bs.blocks) {
			return nil, fmt.Errorf("block %d: stored as %T out of order", b.ID, g)
		}
		b.Shape = p
		bs.blocks = append(bs.blocks, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Neighbours as the partitioner sees them, so that an edit's contiguity
	// check and a re-partition agree.
	var links []partition.SavedLink
	if err := s.db.SelectContext(ctx, &links, `SELECT u AS "u", v AS "v", SUM(length_m) AS "length" FROM block_links WHERE jurisdiction = ? GROUP BY u, v ORDER BY u, v`, id); err != nil {
		return nil, err
	}
	community := make([]string, len(bs.blocks))
	for i, b := range bs.blocks {
		community[i] = b.Community
	}
	bs.adjacent = partition.Neighbours(community, links)
	s.blocks.Store(id, bs)
	return bs, nil
}

// membership returns the grid of every block at a version.
func membership(ctx context.Context, q selector, id string, version, n int) ([]string, error) {
	var rows []struct {
		Block int
		Grid  string
	}
	if err := q.SelectContext(ctx, &rows, `SELECT block AS "block", grid AS "grid" FROM grid_blocks WHERE jurisdiction = ? AND version = ?`, id, version); err != nil {
		return nil, err
	}
	out := make([]string, n)
	for _, r := range rows {
		if r.Block < 0 || r.Block >= n {
			return nil, fmt.Errorf("version %d: block %d out of range", version, r.Block)
		}
		out[r.Block] = r.Grid
	}
	return out, nil
}

// NewGrid is a grid that a change writes, with its blocks.
type NewGrid struct {
	Grid
	Blocks []int
}

// Change is one edit: the grids it writes (new, or replacing those of the
// same code) and the codes it removes, on top of version Base.
type Change struct {
	Base           int
	Author, Reason string
	Put            []NewGrid
	Remove         []string
}

// Commit stores a change as the next version, in one transaction: the grids
// it does not touch are carried over unchanged. A change based on a version
// that is no longer current is refused with ErrStale and writes nothing.
func (s *Store) Commit(ctx context.Context, id string, ch Change) (int, error) {
	next := ch.Base + 1
	err := s.tx(ctx, func(tx txn) error {
		if _, err := s.current(ctx, tx, id, ch.Base); err != nil {
			return err
		}
		touched := slices.Clone(ch.Remove)
		for _, g := range ch.Put {
			touched = append(touched, g.Code)
		}
		if err := copyGrids(ctx, tx, id, ch.Base, next, touched); err != nil {
			return err
		}
		rows := make([]gridRow, len(ch.Put))
		for i, g := range ch.Put {
			rows[i] = gridRow{Grid: g.Grid, blocks: g.Blocks}
		}
		if err := insertGrids(ctx, tx, id, next, rows); err != nil {
			return err
		}
		return stampVersion(ctx, tx, id, next, ch.Author, ch.Reason)
	})
	if err != nil {
		return 0, err
	}
	return next, nil
}

// Revert makes version `to` current again, as a new version on top of base.
func (s *Store) Revert(ctx context.Context, id string, base, to int, author, reason string) (int, error) {
	next := base + 1
	err := s.tx(ctx, func(tx txn) error {
		cur, err := s.current(ctx, tx, id, base)
		if err != nil {
			return err
		}
		if to < 1 || to > cur {
			return fmt.Errorf("version %d: %w (versions run from 1 to %d)", to, ErrNotFound, cur)
		}
		if err := copyGrids(ctx, tx, id, to, next, nil); err != nil {
			return err
		}
		return stampVersion(ctx, tx, id, next, author, reason)
	})
	if err != nil {
		return 0, err
	}
	return next, nil
}

// current returns jurisdiction id's version inside a write, refusing with
// ErrStale when it is not base.
func (s *Store) current(ctx context.Context, tx txn, id string, base int) (int, error) {
	var cur int
	switch err := tx.GetContext(ctx, &cur, `SELECT version FROM jurisdictions WHERE id = ?`+s.dialect.forUpdate, id); {
	case isNoRows(err):
		return 0, fmt.Errorf("jurisdiction %q: %w", id, ErrNotFound)
	case err != nil:
		return 0, err
	}
	if cur != base {
		return cur, fmt.Errorf("version %d is not the current one (%d): %w", base, cur, ErrStale)
	}
	return cur, nil
}

// copyGrids copies the grids of version from, and their blocks, into version
// to, all but those whose codes are in except.
func copyGrids(ctx context.Context, tx txn, id string, from, to int, except []string) error {
	in := "('')"
	args := []any{to, id, from}
	if len(except) > 0 {
		in = "(" + strings.TrimSuffix(strings.Repeat("?,", len(except)), ",") + ")"
		for _, c := range except {
			args = append(args, c)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO grids (jurisdiction, version, code, community, households, area_m2, exception, locked, min_lon, min_lat, max_lon, max_lat, geom)
		SELECT jurisdiction, ?, code, community, households, area_m2, exception, locked, min_lon, min_lat, max_lon, max_lat, geom
		FROM grids WHERE jurisdiction = ? AND version = ? AND code NOT IN `+in, args...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO grid_blocks (jurisdiction, version, block, grid)
		SELECT jurisdiction, ?, block, grid FROM grid_blocks WHERE jurisdiction = ? AND version = ? AND grid NOT IN `+in, args...)
	return err
}

func stampVersion(ctx context.Context, tx txn, id string, n int, author, reason string) error {
	if err := bump(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO versions (jurisdiction, version, author, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, n, author, reason, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE jurisdictions SET version = ? WHERE id = ?`, n, id)
	return err
}

// Version is one entry of a jurisdiction's history.
type Version struct {
	Version   int    `json:"version" db:"version"`
	Author    string `json:"author" db:"author"`
	Reason    string `json:"reason" db:"reason"`
	CreatedAt string `json:"created_at" db:"created_at"`
}

// Versions lists a jurisdiction's history, oldest first.
func (s *Store) Versions(ctx context.Context, id string) ([]Version, error) {
	var out []Version
	if err := s.db.SelectContext(ctx, &out, `SELECT version, author, reason, created_at FROM versions WHERE jurisdiction = ? ORDER BY version`, id); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if _, err := s.State(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Membership returns the grid of every block of jurisdiction id at a version.
func (s *Store) Membership(ctx context.Context, id string, version int) ([]string, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM blocks WHERE jurisdiction = ?`, id); err != nil {
		return nil, err
	}
	var exists int
	if err := s.db.GetContext(ctx, &exists, `SELECT count(*) FROM versions WHERE jurisdiction = ? AND version = ?`, id, version); err != nil {
		return nil, err
	}
	if exists == 0 {
		return nil, fmt.Errorf("jurisdiction %q version %d: %w", id, version, ErrNotFound)
	}
	return membership(ctx, s.db, id, version, n)
}

// Saved returns what the store keeps of jurisdiction id's blocks, in the
// form the partitioner restores.
func (s *Store) Saved(ctx context.Context, id string) (partition.Saved, error) {
	var out partition.Saved
	bs, err := s.blockSet(ctx, id)
	if err != nil {
		return out, err
	}
	if len(bs.blocks) == 0 {
		return out, fmt.Errorf("jurisdiction %q: %w", id, ErrNotFound)
	}
	units, err := s.Units(ctx)
	if err != nil {
		return out, err
	}
	for _, u := range units {
		if u.Jurisdiction != id {
			continue
		}
		mp := orb.MultiPolygon(geo.Polygons(u.Shape))
		if len(mp) == 0 {
			return out, fmt.Errorf("unit %s: stored as %T", u.Code, u.Shape)
		}
		switch u.Level {
		case "district":
			out.Boundary = mp
		case "community":
			out.Communities = append(out.Communities, partition.SavedCommunity{Code: u.Code, Name: u.Name, Shape: mp})
		}
	}
	for _, b := range bs.blocks {
		out.Blocks = append(out.Blocks, partition.SavedBlock{Community: b.Community, Households: b.Households, Shape: b.Shape})
	}
	var links []struct {
		U, V   int
		Class  string
		Length float64 `db:"length_m"`
	}
	if err := s.db.SelectContext(ctx, &links, `SELECT u AS "u", v AS "v", class AS "class", length_m FROM block_links WHERE jurisdiction = ? ORDER BY u, v, class`, id); err != nil {
		return out, err
	}
	for _, l := range links {
		c, ok := datasets.ParseClass(l.Class)
		if !ok {
			return out, fmt.Errorf("link %d–%d: unknown class %q", l.U, l.V, l.Class)
		}
		out.Links = append(out.Links, partition.SavedLink{U: l.U, V: l.V, Class: c, Length: l.Length})
	}
	return out, nil
}

// BlockHouseholds sets the households of one block.
type BlockHouseholds struct {
	Block      int `json:"block"`
	Households int `json:"households"`
}

// SetHouseholds records new household counts of blocks (a new estate, a
// demolition) as the version after base, in one transaction: the grids that
// hold those blocks get their new totals, and nothing moves.
func (s *Store) SetHouseholds(ctx context.Context, id string, base int, changes []BlockHouseholds, author, reason string) (int, error) {
	next := base + 1
	err := s.tx(ctx, func(tx txn) error {
		if _, err := s.current(ctx, tx, id, base); err != nil {
			return err
		}
		if err := copyGrids(ctx, tx, id, base, next, nil); err != nil {
			return err
		}
		for _, c := range changes {
			if c.Households < 0 {
				return invalidf("block %d: %d households", c.Block, c.Households)
			}
			var old int
			switch err := tx.GetContext(ctx, &old, `SELECT households FROM blocks WHERE jurisdiction = ? AND id = ?`, id, c.Block); {
			case isNoRows(err):
				return invalidf("block %d does not exist in jurisdiction %s", c.Block, id)
			case err != nil:
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE blocks SET households = ? WHERE jurisdiction = ? AND id = ?`, c.Households, id, c.Block); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE grids SET households = households + ? WHERE jurisdiction = ? AND version = ?
				AND code = (SELECT grid FROM grid_blocks WHERE jurisdiction = ? AND version = ? AND block = ?)`,
				c.Households-old, id, next, id, next, c.Block); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jurisdictions SET blocks_rev = blocks_rev + 1 WHERE id = ?`, id); err != nil {
			return err
		}
		return stampVersion(ctx, tx, id, next, author, reason)
	})
	if err != nil {
		return 0, err
	}
	return next, nil
}
