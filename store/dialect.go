package store

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

// Queries are written once, with ? placeholders; conn and txn rebind them to
// the driver's style ($1 for PostgreSQL) as they run.

// conn is the store's database handle.
type conn struct{ *sqlx.DB }

func (c conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.DB.ExecContext(ctx, c.Rebind(q), args...)
}

func (c conn) GetContext(ctx context.Context, dest any, q string, args ...any) error {
	return c.DB.GetContext(ctx, dest, c.Rebind(q), args...)
}

func (c conn) SelectContext(ctx context.Context, dest any, q string, args ...any) error {
	return c.DB.SelectContext(ctx, dest, c.Rebind(q), args...)
}

func (c conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.DB.QueryContext(ctx, c.Rebind(q), args...)
}

// txn is a transaction of the store.
type txn struct{ *sqlx.Tx }

func (t txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.Rebind(q), args...)
}

func (t txn) GetContext(ctx context.Context, dest any, q string, args ...any) error {
	return t.Tx.GetContext(ctx, dest, t.Rebind(q), args...)
}

func (t txn) SelectContext(ctx context.Context, dest any, q string, args ...any) error {
	return t.Tx.SelectContext(ctx, dest, t.Rebind(q), args...)
}

func (t txn) PreparexContext(ctx context.Context, q string) (*sqlx.Stmt, error) {
	return t.Tx.PreparexContext(ctx, t.Rebind(q))
}

// selector runs a query into a slice, inside a transaction or not.
type selector interface {
	SelectContext(ctx context.Context, dest any, q string, args ...any) error
}
