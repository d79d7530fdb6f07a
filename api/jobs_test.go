package api_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gridline/gridline/internal/fixture"
)

type jobState struct {
	ID, State, Stage, Error string
	Percent                 float64
	Version                 int
}

// TestPartitionJob partitions Camden anew through the API: 202 with the
// job's URL, progress while it runs, a new version when done that ownership
// answers from at once; a second job cancelled at once stores nothing.
func TestPartitionJob(t *testing.T) {
	_, ts, planner := plannerServer(t)
	url := ts.URL + "/v1/jurisdictions/camden/partition"
	body := `{"min": 300, "max": 500, "seed": 1, "reason": "the district asks for 300–500"}`

	resp, out := do(t, "POST", url, "", `"v1"`, body)
	checkProblem(t, resp, out, 401, "")
	resp, out = do(t, "POST", url, planner, `"v1"`, `{"min": 500, "max": 300, "reason": "r"}`)
	checkProblem(t, resp, out, 422, "")

	resp, out = do(t, "POST", url, planner, `"v1"`, body)
	if resp.StatusCode != 202 || resp.Header.Get("Location") == "" {
		t.Fatalf("start: %d %s", resp.StatusCode, out)
	}
	j := waitJob(t, ts.URL+resp.Header.Get("Location"))
	if j.State != "done" || j.Version != 2 || j.Percent != 100 {
		t.Fatalf("job ended %+v", j)
	}
	_, out = get(t, ts.URL+"/collections/grids/items?limit=1")
	var page struct{ NumberMatched int }
	json.Unmarshal(out, &page)
	if page.NumberMatched < 180 || page.NumberMatched > 325 {
		t.Errorf("%d grids of 300–500 households for 97,534", page.NumberMatched)
	}
	r := fixture.Camden(t)
	p := r.Blocks.Points[0].Point
	_, out = get(t, ts.URL+"/v1/owner?lon="+ftoa(p[0])+"&lat="+ftoa(p[1]))
	var a answer
	if json.Unmarshal(out, &a); !a.Covered || a.Grid.Code == "" {
		t.Errorf("owner after the job: %s", out)
	}

	// Cancelled at once: the grids stay at version 2.
	resp, out = do(t, "POST", url, planner, `"v2"`, body)
	if resp.StatusCode != 202 {
		t.Fatalf("second start: %d %s", resp.StatusCode, out)
	}
	loc := ts.URL + resp.Header.Get("Location")
	if resp, out := do(t, "DELETE", loc, planner, "", ""); resp.StatusCode != 202 {
		t.Fatalf("cancel: %d %s", resp.StatusCode, out)
	}
	if j := waitJob(t, loc); j.State != "cancelled" {
		t.Errorf("cancelled job ended %+v", j)
	}
	if resp, _ := get(t, ts.URL+"/v1/jurisdictions/camden"); resp.Header.Get("ETag") != `"v2"` {
		t.Errorf("after the cancelled job: ETag %s", resp.Header.Get("ETag"))
	}
	resp, out = get(t, ts.URL+"/v1/jobs/nope")
	checkProblem(t, resp, out, 404, "nope")
}

func waitJob(t *testing.T, url string) jobState {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, out := get(t, url)
		var j jobState
		if err := json.Unmarshal(out, &j); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if j.State != "running" || time.Now().After(deadline) {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ftoa(f float64) string { b, _ := json.Marshal(f); return string(b) }
