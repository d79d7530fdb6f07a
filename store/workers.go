package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Worker roles on a grid.
const (
	WorkerGrid        = "grid_worker"
	WorkerInformation = "information_officer"
	WorkerVolunteer   = "volunteer"
)

// Worker is a person of the roster.
type Worker struct {
	ID    string `json:"id" db:"id"`
	Name  string `json:"name" db:"name"`
	Phone string `json:"phone,omitempty" db:"phone"`
}

// Assignment puts a worker on a grid in a role; one worker per grid may be
// its named responsible person.
type Assignment struct {
	Grid        string `json:"grid" db:"grid"`
	Worker      string `json:"worker" db:"worker"`
	Name        string `json:"name" db:"name"`
	Role        string `json:"role" db:"role"`
	Responsible bool   `json:"responsible" db:"responsible"`
}

// AddWorker adds a person to the roster; an id in use is ErrConflict.
func (s *Store) AddWorker(ctx context.Context, w Worker) error {
	if err := validID(w.ID); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	if strings.TrimSpace(w.Name) == "" {
		return invalidf("worker %s: a name is required", w.ID)
	}
	return s.tx(ctx, func(tx txn) error {
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM workers WHERE id = ?`, w.ID); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("worker %s: %w: the id is taken", w.ID, ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workers (id, name, phone, created_at) VALUES (?, ?, ?, ?)`,
			w.ID, w.Name, w.Phone, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		return bump(ctx, tx)
	})
}

// Workers lists the roster.
func (s *Store) Workers(ctx context.Context) ([]Worker, error) {
	out := []Worker{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, name, phone FROM workers ORDER BY id`)
	return out, err
}

// Assign replaces the workers of a current grid, in one transaction. Every
// worker must be on the roster, roles must be known, and at most one may be
// responsible.
func (s *Store) Assign(ctx context.Context, grid string, as []Assignment) error {
	if _, err := s.Grid(ctx, grid); err != nil {
		return err
	}
	responsible := 0
	for _, a := range as {
		switch a.Role {
		case WorkerGrid, WorkerInformation, WorkerVolunteer:
		default:
			return invalidf("worker %s: role %q: want %s, %s or %s", a.Worker, a.Role, WorkerGrid, WorkerInformation, WorkerVolunteer)
		}
		if a.Responsible {
			responsible++
		}
	}
	if responsible > 1 {
		return invalidf("grid %s: %d workers named responsible; a grid has one", grid, responsible)
	}
	return s.tx(ctx, func(tx txn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE grid = ?`, grid); err != nil {
			return err
		}
		for _, a := range as {
			var n int
			if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM workers WHERE id = ?`, a.Worker); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("worker %q: %w (add it to the roster first)", a.Worker, ErrNotFound)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (grid, worker, role, responsible) VALUES (?, ?, ?, ?)`,
				grid, a.Worker, a.Role, a.Responsible); err != nil {
				return fmt.Errorf("worker %s on grid %s: %w", a.Worker, grid, err)
			}
		}
		return bump(ctx, tx)
	})
}

// Assignments lists every assignment, by grid, the responsible person first.
func (s *Store) Assignments(ctx context.Context) ([]Assignment, error) {
	out := []Assignment{}
	err := s.db.SelectContext(ctx, &out, `SELECT a.grid, a.worker, w.name, a.role, a.responsible
		FROM assignments a JOIN workers w ON w.id = a.worker ORDER BY a.grid, a.responsible DESC, a.worker`)
	return out, err
}
