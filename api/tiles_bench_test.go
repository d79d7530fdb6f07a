package api_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// camdenTileList lists the tiles over Camden from zoom 12 to 16.
func camdenTileList(b *testing.B) []maptile.Tile {
	r := fixture.Camden(b)
	bd := r.Blocks.Proj.Unproject(r.Blocks.Area).Bound()
	var out []maptile.Tile
	for z := maptile.Zoom(12); z <= 16; z++ {
		lo, hi := maptile.At(orb.Point{bd.Min[0], bd.Max[1]}, z), maptile.At(orb.Point{bd.Max[0], bd.Min[1]}, z)
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				out = append(out, maptile.New(x, y, z))
			}
		}
	}
	return out
}

// loadTest fetches every tile once (a warm-up: caches filled, connections
// open), then b.N random ones from 50 concurrent clients, and reports tiles
// a second and the 99th percentile latency.
func loadTest(b *testing.B, tiles []maptile.Tile, fetch func(maptile.Tile) error) {
	for _, t := range tiles {
		if err := fetch(t); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	order := make([]int, b.N)
	for i := range order {
		order[i] = rng.IntN(len(tiles))
	}
	concurrently(b, 50, "tiles/s", func(i int) error { return fetch(tiles[order[i]]) })
}

// concurrently calls fetch for i from 0 to b.N from clients goroutines, and
// reports the 99th percentile latency and the rate, per unit.
func concurrently(b *testing.B, clients int, unit string, fetch func(i int) error) {
	var next atomic.Int64
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				start := time.Now()
				if err := fetch(int(i)); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkTilesHTTP fetches z12–z16 tiles over Camden from gridline over
// loopback, 50 clients at once (tiles are drawn once per revision, then
// served from memory, as a tile server does).
func BenchmarkTilesHTTP(b *testing.B) {
	ts := camdenServer(b)
	tr := &http.Transport{MaxIdleConnsPerHost: 50, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	loadTest(b, camdenTileList(b), func(t maptile.Tile) error {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/tiles/%d/%d/%d.mvt", ts.URL, t.Z, t.X, t.Y), nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 && resp.StatusCode != 204 {
			return fmt.Errorf("%v: %s", t, resp.Status)
		}
		return nil
	})
}

// BenchmarkTilesPostGIS draws the same tiles' grids layer with PostGIS's
// ST_AsMVT, the engine behind Martin and pg_tileserv, 50 queries at once.
// It runs where scripts/test has started PostGIS.
func BenchmarkTilesPostGIS(b *testing.B) {
	if os.Getenv(fixture.PostgresEnv) == "" {
		b.Skip(fixture.PostgresEnv + " is not set: scripts/postgis start, and set it to the URL printed")
	}
	st, dsn := fixture.TempStore(b)
	if err := st.Import(context.Background(), fixture.CamdenImport(b)); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(50)
	db.SetMaxIdleConns(50)
	const q = `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env),
		mvt AS (SELECT ST_AsMVTGeom(ST_Transform(g.shape, 3857), bounds.env, 4096, 64, true) AS geom, g.code, g.households
			FROM grids g JOIN jurisdictions j ON j.id = g.jurisdiction AND j.version = g.version, bounds
			WHERE g.shape && ST_Transform(bounds.env, 4326))
		SELECT ST_AsMVT(mvt.*, 'grids', 4096, 'geom') FROM mvt`
	loadTest(b, camdenTileList(b), func(t maptile.Tile) error {
		var tile []byte
		return db.QueryRow(q, int(t.Z), int(t.X), int(t.Y)).Scan(&tile)
	})
}
