package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Roles, from least to most allowed: a reader routes cases and draws maps, a
// planner edits grids, an admin imports jurisdictions and manages keys.
const (
	RoleReader  = "reader"
	RolePlanner = "planner"
	RoleAdmin   = "admin"
)

// RoleRank orders roles; an unknown role ranks below every known one.
func RoleRank(role string) int {
	switch role {
	case RoleReader:
		return 1
	case RolePlanner:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Key is an API key as stored: its secret is kept only as a hash.
type Key struct {
	ID   string
	Name string
	Role string
}

// ErrBadKey is returned for a token that is malformed or matches no key.
var ErrBadKey = errors.New("unknown or malformed API key")

// CreateKey stores a new key and returns its token, "gl_<id>_<secret>": the
// only time the secret is seen.
func (s *Store) CreateKey(ctx context.Context, name, role string) (string, error) {
	if RoleRank(role) == 0 {
		return "", fmt.Errorf("role %q: want reader, planner or admin", role)
	}
	if strings.TrimSpace(name) == "" {
		return "", errors.New("a key needs a name (who holds it)")
	}
	raw := make([]byte, 4+24)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	id, secret := hex.EncodeToString(raw[:4]), hex.EncodeToString(raw[4:])
	hash := sha256.Sum256([]byte(secret))
	if _, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, name, role, hash[:], time.Now().UTC().Format(time.RFC3339)); err != nil {
		return "", err
	}
	return "gl_" + id + "_" + secret, nil
}

// LookupKey returns the key a token belongs to, or ErrBadKey.
func (s *Store) LookupKey(ctx context.Context, token string) (Key, error) {
	parts := strings.Split(token, "_")
	if len(parts) != 3 || parts[0] != "gl" || len(parts[1]) != 8 || len(parts[2]) != 48 {
		return Key{}, ErrBadKey
	}
	var row struct {
		Name, Role string
		Hash       []byte
	}
	err := s.db.GetContext(ctx, &row, `SELECT name AS "name", role AS "role", hash AS "hash" FROM api_keys WHERE id = ?`, parts[1])
	if isNoRows(err) {
		return Key{}, ErrBadKey
	}
	if err != nil {
		return Key{}, err
	}
	hash := sha256.Sum256([]byte(parts[2]))
	if subtle.ConstantTimeCompare(hash[:], row.Hash) != 1 {
		return Key{}, ErrBadKey
	}
	return Key{ID: parts[1], Name: row.Name, Role: row.Role}, nil
}
