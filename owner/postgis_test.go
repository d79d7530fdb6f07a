package owner_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/owner"
	"github.com/paulmach/orb"
)

// TestAgreesWithPostGIS answers 100,000 random points over Camden from the
// snapshot and from PostGIS's ST_Contains on the same stored grids: every
// answer must agree. It runs where scripts/test has started PostGIS.
func TestAgreesWithPostGIS(t *testing.T) {
	if os.Getenv(fixture.PostgresEnv) == "" {
		t.Skip(fixture.PostgresEnv + " is not set: scripts/test starts PostGIS and sets it")
	}
	ctx := context.Background()
	st, dsn := fixture.TempStore(t)
	if err := st.Import(ctx, fixture.CamdenImport(t)); err != nil {
		t.Fatal(err)
	}
	snap, _, err := owner.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	r := fixture.Camden(t)
	bound := r.Blocks.Proj.Unproject(r.Blocks.Area).Bound()
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 100_000
	lons, lats := make([]float64, n), make([]float64, n)
	for i := range n {
		lons[i] = bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0])
		lats[i] = bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])
	}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	rows, err := db.QueryContext(ctx, `SELECT p.i, g.code
		FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)
		JOIN grids g ON ST_Contains(g.shape, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
		JOIN jurisdictions j ON j.id = g.jurisdiction AND j.version = g.version`, lons, lats)
	if err != nil {
		t.Fatal(err)
	}
	postgis := make([]string, n)
	for rows.Next() {
		var i int
		var code string
		if err := rows.Scan(&i, &code); err != nil {
			t.Fatal(err)
		}
		if postgis[i-1] != "" {
			t.Fatalf("PostGIS puts point %d in %s and %s", i-1, postgis[i-1], code)
		}
		postgis[i-1] = code
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	pgTime := time.Since(start)

	start = time.Now()
	ours := make([]string, n)
	for i := range n {
		if a := snap.Lookup(orb.Point{lons[i], lats[i]}); a.Covered {
			ours[i] = a.Grid.Code
		}
	}
	ourTime := time.Since(start)
	covered := 0
	for i := range n {
		if ours[i] != postgis[i] {
			t.Errorf("point (%v, %v): snapshot says %q, PostGIS %q", lons[i], lats[i], ours[i], postgis[i])
		}
		if ours[i] != "" {
			covered++
		}
	}
	if covered < n/4 {
		t.Errorf("only %d of %d points covered", covered, n)
	}
	t.Logf("%d points, %d covered: PostGIS %v (%.0f points/s), snapshot %v (%.0f points/s), %.0f× faster",
		n, covered, pgTime.Round(time.Millisecond), n/pgTime.Seconds(), ourTime.Round(time.Microsecond), n/ourTime.Seconds(), pgTime.Seconds()/ourTime.Seconds())
}
