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

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
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
	db      conn
	dialect dialect
	blocks  sync.Map // jurisdiction id → *blockSet, read once
}

// Open opens the store at dsn and brings its schema up to date. A dsn is a
// SQLite file path (created if missing), or a postgres:// URL of a database
// where PostGIS can be enabled.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("open store: empty database path")
	}
	d, source, shown := sqlite, sqliteSource(dsn), dsn
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d, source, shown = postgres, dsn, redact(dsn)
	}
	db, err := sqlx.Open(d.driver, source)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", shown, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", shown, err)
	}
	s := &Store{db: conn{db}, dialect: d}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", shown, err)
	}
	return s, nil
}

// sqliteSource is the driver's name for a SQLite file. WAL lets readers run
// while a writer commits, and a committed transaction survives a killed
// process; busy_timeout makes writers queue instead of failing when they
// meet; immediate transactions take the write lock at once, so two writers
// never both read a version and then race to write the next.
func sqliteSource(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

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
	err = s.tx(ctx, func(tx txn) error {
		var n int
		switch err := tx.GetContext(ctx, &n, `SELECT n FROM schema_version`); {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (n) VALUES (0)`); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		migrations := s.dialect.migrations
		if n > len(migrations) {
			return fmt.Errorf("the database has schema %d, newer than this gridline (%d)", n, len(migrations))
		}
		if n == len(migrations) {
			done = true
			return nil
		}
		for _, stmt := range strings.Split(migrations[n], ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migration %d: %w", n+1, err)
			}
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
func bump(ctx context.Context, tx txn) error {
	_, err := tx.ExecContext(ctx, `UPDATE revision SET n = n + 1`)
	return err
}

// tx runs fn in a transaction, committed if fn returns nil and rolled back
// otherwise.
func (s *Store) tx(ctx context.Context, fn func(txn) error) error {
	sqltx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	tx := txn{sqltx}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Redact returns dsn fit for a log: a URL's password hidden.
func Redact(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn
	}
	return redact(dsn)
}

// redact hides a URL's password.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "database URL"
	}
	return u.Redacted()
}
