// Package store keeps jurisdictions, their units, blocks and versioned grids
// in a database: an embedded SQLite file by default. Every write is one
// transaction, so a crash (even kill -9) leaves either the whole write or
// none of it.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // the embedded store's driver
)

// ErrNotFound is returned when a requested jurisdiction or grid does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would clash with what is stored, such
// as a jurisdiction id or a unit code that exists already.
var ErrConflict = errors.New("conflict")

// ErrInvalid marks content that the store refuses to hold: an id with
// spaces, a worker without a name, a role it does not know.
var ErrInvalid = errors.New("invalid")

// invalid is an ErrInvalid with its own message.
type invalid struct{ msg string }

func (e *invalid) Error() string        { return e.msg }
func (e *invalid) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error { return &invalid{fmt.Sprintf(format, args...)} }

// Store is a database of jurisdictions and their grids.
type Store struct {
	db     *sqlx.DB
	blocks sync.Map // jurisdiction id → *blockSet, read once
}

// Open opens the store at dsn and brings its schema up to date. A dsn is a
// SQLite file path (created if missing); PostgreSQL URLs are not supported
// yet.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil, fmt.Errorf("open %s: the PostgreSQL store is not built yet; use a SQLite file", redact(dsn))
	}
	if dsn == "" {
		return nil, errors.New("open store: empty database path")
	}
	// WAL lets readers run while a writer commits; a committed transaction
	// survives a killed process. busy_timeout makes writers queue instead of
	// failing when they meet.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sqlx.Open("sqlite", "file:"+dsn+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrations are applied in order, each in its own transaction; the
// schema_version table records how many have run.
var migrations = []string{
	`CREATE TABLE jurisdictions (
		id          TEXT PRIMARY KEY,
		name        TEXT NOT NULL,
		band_min    INTEGER NOT NULL,
		band_max    INTEGER NOT NULL,
		version     INTEGER NOT NULL DEFAULT 0, -- current grid version; 0 while none
		imported_at TEXT NOT NULL
	);
	CREATE TABLE units (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		code   TEXT NOT NULL,
		level  TEXT NOT NULL CHECK (level IN ('district', 'township', 'community')),
		name   TEXT NOT NULL,
		parent TEXT NOT NULL DEFAULT '',
		geom   BLOB NOT NULL, -- EWKB, WGS84
		PRIMARY KEY (jurisdiction, code)
	);
	CREATE UNIQUE INDEX units_code ON units (code);
	CREATE TABLE blocks (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		id         INTEGER NOT NULL,
		community  TEXT NOT NULL,
		households INTEGER NOT NULL CHECK (households >= 0),
		area_m2    REAL NOT NULL,
		geom       BLOB NOT NULL,
		PRIMARY KEY (jurisdiction, id)
	);
	CREATE TABLE block_links (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		u        INTEGER NOT NULL,
		v        INTEGER NOT NULL,
		class    TEXT NOT NULL,
		length_m REAL NOT NULL,
		PRIMARY KEY (jurisdiction, u, v, class)
	);
	CREATE TABLE versions (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		version    INTEGER NOT NULL,
		author     TEXT NOT NULL,
		reason     TEXT NOT NULL,
		created_at TEXT NOT NULL,
		PRIMARY KEY (jurisdiction, version)
	);
	CREATE TABLE grids (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		version    INTEGER NOT NULL,
		code       TEXT NOT NULL,
		community  TEXT NOT NULL,
		households INTEGER NOT NULL,
		area_m2    REAL NOT NULL,
		exception  TEXT NOT NULL DEFAULT '',
		min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
		geom       BLOB NOT NULL,
		PRIMARY KEY (jurisdiction, version, code)
	);
	CREATE INDEX grids_code ON grids (code);
	CREATE TABLE grid_blocks (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		version INTEGER NOT NULL,
		block   INTEGER NOT NULL,
		grid    TEXT NOT NULL,
		PRIMARY KEY (jurisdiction, version, block)
	);`,
	`ALTER TABLE grids ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE api_keys (
		id         TEXT PRIMARY KEY, -- the public half of a key
		name       TEXT NOT NULL,
		role       TEXT NOT NULL CHECK (role IN ('reader', 'planner', 'admin')),
		hash       BLOB NOT NULL,    -- SHA-256 of the secret half
		created_at TEXT NOT NULL
	);`,
	`CREATE TABLE workers (
		id         TEXT PRIMARY KEY,
		name       TEXT NOT NULL,
		phone      TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL
	);
	CREATE TABLE assignments (
		grid        TEXT NOT NULL, -- a grid code: codes outlive the edits that leave a grid alone
		worker      TEXT NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
		role        TEXT NOT NULL CHECK (role IN ('grid_worker', 'information_officer', 'volunteer')),
		responsible INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (grid, worker)
	);
	CREATE UNIQUE INDEX assignments_responsible ON assignments (grid) WHERE responsible = 1;
	CREATE TABLE revision (n INTEGER NOT NULL);
	INSERT INTO revision (n) VALUES (0);`,
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (n INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for {
		done, err := s.step(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// step applies the next migration, if any, and reports whether none was left.
func (s *Store) step(ctx context.Context) (done bool, err error) {
	err = s.tx(ctx, func(tx *sqlx.Tx) error {
		var n int
		switch err := tx.GetContext(ctx, &n, `SELECT n FROM schema_version`); {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (n) VALUES (0)`); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		if n > len(migrations) {
			return fmt.Errorf("the database has schema %d, newer than this gridline (%d)", n, len(migrations))
		}
		if n == len(migrations) {
			done = true
			return nil
		}
		if _, err := tx.ExecContext(ctx, migrations[n]); err != nil {
			return fmt.Errorf("migration %d: %w", n+1, err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE schema_version SET n = ?`, n+1)
		return err
	})
	return done, err
}

// Revision returns a number that every write to grids, units or workers
// raises: a server polls it to see other processes' writes.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.GetContext(ctx, &n, `SELECT n FROM revision`)
	return n, err
}

// bump raises the revision inside a write's transaction.
func bump(ctx context.Context, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE revision SET n = n + 1`)
	return err
}

// tx runs fn in a transaction, committed if fn returns nil and rolled back
// otherwise.
func (s *Store) tx(ctx context.Context, fn func(*sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// redact hides a URL's password.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "database URL"
	}
	return u.Redacted()
}
