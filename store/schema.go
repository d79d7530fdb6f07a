package store

import "strings"

// A dialect is what differs between the embedded store and PostgreSQL: the
// driver, the schema's types, and how a write locks the version it builds on.
type dialect struct {
	driver     string
	migrations []string // applied in order; schema_version counts those run
	// forUpdate ends the SELECT with which a write reads the version it
	// builds on: PostgreSQL must lock the row; SQLite's immediate
	// transactions hold the write lock already.
	forUpdate string
}

var sqlite = dialect{driver: "sqlite", migrations: sqliteMigrations}

var postgres = dialect{driver: "pgx", migrations: postgresMigrations, forUpdate: " FOR UPDATE"}

var sqliteMigrations = []string{
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
	// blocks_rev is raised when households change, so that a cached copy of
	// the blocks knows it is stale.
	`ALTER TABLE jurisdictions ADD COLUMN blocks_rev INTEGER NOT NULL DEFAULT 0`,
	// A grid's blocks, counted for every grid listed.
	`CREATE INDEX grid_blocks_grid ON grid_blocks (jurisdiction, version, grid)`,
	// What the map draws beside grids: household points (in their blocks)
	// and the barrier lines blocks are cut from.
	`CREATE TABLE households (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		id    INTEGER NOT NULL,
		block INTEGER NOT NULL,
		households INTEGER NOT NULL,
		lon REAL NOT NULL, lat REAL NOT NULL,
		PRIMARY KEY (jurisdiction, id)
	);
	CREATE TABLE barriers (
		jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id) ON DELETE CASCADE,
		id    INTEGER NOT NULL,
		class TEXT NOT NULL,
		geom  BLOB NOT NULL,
		PRIMARY KEY (jurisdiction, id)
	)`,
}

// postgresMigrations are sqliteMigrations in PostgreSQL's types, with PostGIS
// geometry generated from the stored EWKB of every grid (and a GiST index on
// it), so that the database itself can answer spatial questions about them.
var postgresMigrations = forPostgres(sqliteMigrations)

func forPostgres(ms []string) []string {
	types := strings.NewReplacer(
		"BLOB", "BYTEA",
		"REAL NOT NULL", "DOUBLE PRECISION NOT NULL",
		"locked INTEGER NOT NULL DEFAULT 0", "locked BOOLEAN NOT NULL DEFAULT false",
		"responsible INTEGER NOT NULL DEFAULT 0", "responsible BOOLEAN NOT NULL DEFAULT false",
		"WHERE responsible = 1", "WHERE responsible",
		"revision (n INTEGER NOT NULL)", "revision (n BIGINT NOT NULL)",
	)
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = types.Replace(m)
	}
	out[0] = "CREATE EXTENSION IF NOT EXISTS postgis;\n" + out[0] + `
	ALTER TABLE grids ADD COLUMN shape geometry GENERATED ALWAYS AS (ST_GeomFromEWKB(geom)) STORED;
	CREATE INDEX grids_shape ON grids USING GIST (shape)`
	return out
}
