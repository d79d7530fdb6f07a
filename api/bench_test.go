package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/gridline/gridline/internal/fixture"
)

// camdenPoints returns n points spread evenly over Camden's bounds.
func camdenPoints(b *testing.B, n int) [][2]float64 {
	r := fixture.Camden(b)
	bound := r.Blocks.Proj.Unproject(r.Blocks.Area).Bound()
	rng := rand.New(rand.NewPCG(9, 10))
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{bound.Min[0] + rng.Float64()*(bound.Max[0]-bound.Min[0]), bound.Min[1] + rng.Float64()*(bound.Max[1]-bound.Min[1])}
	}
	return pts
}

// BenchmarkOwnerBatchHTTP posts batches of 100,000 points over loopback.
func BenchmarkOwnerBatchHTTP(b *testing.B) {
	ts := camdenServer(b)
	body, _ := json.Marshal(map[string]any{"points": camdenPoints(b, 100_000)})
	client := ts.Client()
	for b.Loop() {
		resp, err := client.Post(ts.URL+"/v1/owner/batch", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "points/s")
}

// BenchmarkOwnerConcurrentHTTP sends single lookups from 50 concurrent
// clients over loopback and reports the 99th percentile latency.
func BenchmarkOwnerConcurrentHTTP(b *testing.B) {
	const clients = 50
	ts := camdenServer(b)
	pts := camdenPoints(b, 1<<14)
	urls := make([]string, len(pts))
	for i, p := range pts {
		urls[i] = fmt.Sprintf("%s/v1/owner?lon=%v&lat=%v", ts.URL, p[0], p[1])
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	concurrently(b, clients, "req/s", func(i int) error {
		resp, err := client.Get(urls[i&(len(urls)-1)])
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil
	})
}
