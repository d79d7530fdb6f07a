package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gridline/gridline/api"
	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/store"
)

// TestWorkersAndTwoServers runs two servers on one database file, as two
// processes would: a roster and an assignment made through one reach the
// other's ownership answers within a second, and so does an edit.
func TestWorkersAndTwoServers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st1, path := fixture.TempStore(t)
	if err := st1.Import(ctx, fixture.CamdenImport(t)); err != nil {
		t.Fatal(err)
	}
	st2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	var urls [2]string
	for i, st := range []*store.Store{st1, st2} {
		srv, err := api.New(ctx, st, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		go srv.Watch(ctx, 100*time.Millisecond)
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		urls[i] = ts.URL
	}
	planner := key(t, st1, "ana", "planner")
	r := fixture.Camden(t)
	g := r.Grids[0]
	p := r.Blocks.Points[0].Point
	for i, bi := range r.Blocks.HouseholdBlock {
		if bi >= 0 && r.BlockGrid[bi] == 0 {
			p = r.Blocks.Points[i].Point
			break
		}
	}

	for _, tc := range []struct {
		name, method, path, body string
		status                   int
	}{
		{"add a worker", "POST", "/v1/workers", `{"id": "w-1", "name": "Li Mei", "phone": "+44 20 0000 0001"}`, 201},
		{"add another", "POST", "/v1/workers", `{"id": "w-2", "name": "Tom Reed"}`, 201},
		{"id taken", "POST", "/v1/workers", `{"id": "w-1", "name": "Someone"}`, 409},
		{"no name", "POST", "/v1/workers", `{"id": "w-3"}`, 422},
		{"bad id", "POST", "/v1/workers", `{"id": "w 3", "name": "X"}`, 422},
		{"unknown worker", "PUT", "/v1/grids/" + g.Code + "/workers", `{"workers": [{"worker": "w-9", "role": "grid_worker"}]}`, 422},
		{"unknown role", "PUT", "/v1/grids/" + g.Code + "/workers", `{"workers": [{"worker": "w-1", "role": "mayor"}]}`, 422},
		{"two responsible", "PUT", "/v1/grids/" + g.Code + "/workers", `{"workers": [{"worker": "w-1", "role": "grid_worker", "responsible": true}, {"worker": "w-2", "role": "volunteer", "responsible": true}]}`, 422},
		{"unknown grid", "PUT", "/v1/grids/NOPE/workers", `{"workers": []}`, 404},
		{"assign", "PUT", "/v1/grids/" + g.Code + "/workers", `{"workers": [{"worker": "w-1", "role": "grid_worker", "responsible": true}, {"worker": "w-2", "role": "volunteer"}]}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.method, urls[0]+tc.path, planner, "", tc.body)
			if tc.status >= 400 {
				checkProblem(t, resp, body, tc.status, "")
			} else if resp.StatusCode != tc.status {
				t.Errorf("%d %s, want %d", resp.StatusCode, body, tc.status)
			}
		})
	}

	// The roster is for key holders: names and phones.
	if resp, out := get(t, urls[0]+"/v1/workers"); resp.StatusCode != 401 {
		t.Errorf("roster without a key: %d %s", resp.StatusCode, out)
	}
	resp, out := do(t, "GET", urls[0]+"/v1/workers", planner, "", "")
	var roster struct {
		Workers     []struct{ ID, Name, Phone string }
		Assignments []struct{ Grid, Worker string }
	}
	if json.Unmarshal(out, &roster); resp.StatusCode != 200 || len(roster.Workers) != 2 || len(roster.Assignments) != 2 || roster.Workers[0].Phone == "" {
		t.Errorf("roster: %d %s", resp.StatusCode, out)
	}

	// The first server answers at once; the second within a second.
	wantWorkers := func(url string) (bool, string) {
		_, body := get(t, fmt.Sprintf("%s/v1/owner?lon=%v&lat=%v", url, p[0], p[1]))
		var a answer
		json.Unmarshal(body, &a)
		return len(a.Workers) == 2 && a.Workers[0].ID == "w-1" && a.Workers[0].Role == "grid_worker" && a.Workers[1].Name == "Tom Reed", string(body)
	}
	if ok, body := wantWorkers(urls[0]); !ok {
		t.Fatalf("server 1 after the assignment: %s", body)
	}
	waitFor(t, func() (bool, string) { return wantWorkers(urls[1]) })

	// The grid names its responsible worker.
	_, out = get(t, urls[0]+"/collections/grids/items/"+g.Code)
	var f struct{ Properties struct{ Worker string } }
	if json.Unmarshal(out, &f); f.Properties.Worker != "Li Mei" {
		t.Errorf("grid %s: worker %q", g.Code, f.Properties.Worker)
	}

	// An edit through the second server reaches the first.
	lock := fmt.Sprintf(`{"op": "lock", "grid": %q, "reason": "agreed"}`, g.Code)
	if resp, body := do(t, "POST", urls[1]+"/v1/jurisdictions/camden/edits", planner, `"v1"`, lock); resp.StatusCode != 200 {
		t.Fatalf("edit through server 2: %d %s", resp.StatusCode, body)
	}
	waitFor(t, func() (bool, string) {
		resp, _ := get(t, urls[0]+"/v1/jurisdictions/camden")
		return resp.Header.Get("ETag") == `"v2"`, resp.Header.Get("ETag")
	})
}

// waitFor polls ok for up to a second.
func waitFor(t *testing.T, ok func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		done, last := ok()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not seen within a second: %s", last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
