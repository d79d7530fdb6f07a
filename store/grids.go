package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
)

// Grid is one grid of a jurisdiction's current version.
type Grid struct {
	Jurisdiction string
	Version      int
	Code         string
	Community    string
	Households   int
	AreaM2       float64
	Exception    string
	Locked       bool
	// Blocks is how many blocks the grid holds; InBand whether its
	// households are within its jurisdiction's band; Worker the name of its
	// responsible person (empty if none is named).
	Blocks int
	InBand bool
	Worker string
	// Shape is a Polygon, or a MultiPolygon for a declared exclave; WGS84.
	Shape orb.Geometry
}

// Unit is a district, township or community.
type Unit struct {
	Jurisdiction string
	Code, Level  string
	Name, Parent string
	Shape        orb.Geometry
}

// GridQuery selects grids of the current versions. Results are ordered by
// code; After pages by the last code seen (so pages stay stable while other
// jurisdictions change).
type GridQuery struct {
	Jurisdiction string
	Community    string
	BBox         *orb.Bound // WGS84; grids whose bounds meet it
	After        string
	Limit        int // 0: no limit
}

// gridColumns are a grid's own columns, its number of blocks, the band of
// its jurisdiction and the name of its responsible worker (empty if none).
const gridColumns = `g.jurisdiction, g.version, g.code, g.community, g.households, g.area_m2, g.exception, g.locked, g.geom,
	(SELECT count(*) FROM grid_blocks gb WHERE gb.jurisdiction = g.jurisdiction AND gb.version = g.version AND gb.grid = g.code),
	j.band_min, j.band_max,
	COALESCE((SELECT w.name FROM assignments a JOIN workers w ON w.id = a.worker WHERE a.grid = g.code AND a.responsible = ?), '')`

// where returns the query's conditions and arguments (paging aside).
func (q GridQuery) where() (string, []any) {
	conds := []string{"g.version = j.version"}
	var args []any
	if q.Jurisdiction != "" {
		conds, args = append(conds, "g.jurisdiction = ?"), append(args, q.Jurisdiction)
	}
	if q.Community != "" {
		conds, args = append(conds, "g.community = ?"), append(args, q.Community)
	}
	if b := q.BBox; b != nil {
		conds = append(conds, "g.max_lon >= ? AND g.min_lon <= ? AND g.max_lat >= ? AND g.min_lat <= ?")
		args = append(args, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
	}
	return strings.Join(conds, " AND "), args
}

// Grids returns the grids that q selects.
func (s *Store) Grids(ctx context.Context, q GridQuery) ([]Grid, error) {
	where, args := q.where()
	if q.After != "" {
		where, args = where+" AND g.code > ?", append(args, q.After)
	}
	query := `SELECT ` + gridColumns + ` FROM grids g JOIN jurisdictions j ON g.jurisdiction = j.id WHERE ` + where + ` ORDER BY g.code`
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	return s.queryGrids(ctx, query, append([]any{true}, args...)...)
}

// CountGrids returns how many grids q selects, paging aside.
func (s *Store) CountGrids(ctx context.Context, q GridQuery) (int, error) {
	where, args := q.where()
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM grids g JOIN jurisdictions j ON g.jurisdiction = j.id WHERE `+where, args...)
	return n, err
}

// Grid returns the current grid with the given code, or ErrNotFound.
func (s *Store) Grid(ctx context.Context, code string) (Grid, error) {
	gs, err := s.queryGrids(ctx, `SELECT `+gridColumns+` FROM grids g JOIN jurisdictions j ON g.jurisdiction = j.id
		WHERE g.version = j.version AND g.code = ?`, true, code)
	if err != nil {
		return Grid{}, err
	}
	if len(gs) == 0 {
		return Grid{}, fmt.Errorf("grid %q: %w", code, ErrNotFound)
	}
	return gs[0], nil
}

func (s *Store) queryGrids(ctx context.Context, query string, args ...any) ([]Grid, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grid
	for rows.Next() {
		var g Grid
		var geom []byte
		var lo, hi int
		if err := rows.Scan(&g.Jurisdiction, &g.Version, &g.Code, &g.Community, &g.Households, &g.AreaM2, &g.Exception, &g.Locked, &geom,
			&g.Blocks, &lo, &hi, &g.Worker); err != nil {
			return nil, err
		}
		g.InBand = lo <= g.Households && g.Households <= hi
		if g.Shape, err = decode(geom); err != nil {
			return nil, fmt.Errorf("grid %s: %w", g.Code, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Units returns every stored district, township and community.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT jurisdiction, code, level, name, parent, geom FROM units ORDER BY jurisdiction, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		var geom []byte
		if err := rows.Scan(&u.Jurisdiction, &u.Code, &u.Level, &u.Name, &u.Parent, &geom); err != nil {
			return nil, err
		}
		if u.Shape, err = decode(geom); err != nil {
			return nil, fmt.Errorf("unit %s: %w", u.Code, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Jurisdiction is a stored jurisdiction and its current grid version.
type Jurisdiction struct {
	ID, Name         string
	BandMin, BandMax int
	Version          int
}

// jurisdictionColumns selects jurisdictions into Jurisdiction.
const jurisdictionColumns = `SELECT id AS "id", name AS "name", band_min AS "bandmin", band_max AS "bandmax", version AS "version" FROM jurisdictions`

// Jurisdictions lists the stored jurisdictions.
func (s *Store) Jurisdictions(ctx context.Context) ([]Jurisdiction, error) {
	var out []Jurisdiction
	err := s.db.SelectContext(ctx, &out, jurisdictionColumns+` ORDER BY id`)
	return out, err
}

func decode(b []byte) (orb.Geometry, error) {
	g, _, err := ewkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("stored geometry: %w", err)
	}
	return g, nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// HouseholdPoint is a household point of a jurisdiction, in its block.
type HouseholdPoint struct {
	Block      int
	Households int
	Point      orb.Point
}

// Households returns jurisdiction id's household points.
func (s *Store) Households(ctx context.Context, id string) ([]HouseholdPoint, error) {
	var rows []struct {
		Block, Households int
		Lon, Lat          float64
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT block AS "block", households AS "households", lon AS "lon", lat AS "lat" FROM households WHERE jurisdiction = ? ORDER BY id`, id); err != nil {
		return nil, err
	}
	out := make([]HouseholdPoint, len(rows))
	for i, r := range rows {
		out[i] = HouseholdPoint{Block: r.Block, Households: r.Households, Point: orb.Point{r.Lon, r.Lat}}
	}
	return out, nil
}

// Barrier is a line that blocks are cut from: a street, a waterway, a
// railway, a ridge, with its class.
type Barrier struct {
	Class string
	Line  orb.LineString
}

// Barriers returns jurisdiction id's barrier lines.
func (s *Store) Barriers(ctx context.Context, id string) ([]Barrier, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT class, geom FROM barriers WHERE jurisdiction = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Barrier
	for rows.Next() {
		var b Barrier
		var geom []byte
		if err := rows.Scan(&b.Class, &geom); err != nil {
			return nil, err
		}
		g, err := decode(geom)
		if err != nil {
			return nil, err
		}
		ls, ok := g.(orb.LineString)
		if !ok {
			return nil, fmt.Errorf("barrier stored as %T", g)
		}
		b.Line = ls
		out = append(out, b)
	}
	return out, rows.Err()
}
