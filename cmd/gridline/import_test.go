package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gridline/gridline/internal/testdata"
	"github.com/gridline/gridline/store"
)

// The test binary runs as the gridline command when asked to, so that tests
// can start it as a process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("GRIDLINE_AS_COMMAND") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func importArgs(t *testing.T, db string) []string {
	camden := func(name string) string { return testdata.Bundled(t, "camden/"+name) }
	return []string{"import", "--db", db, "--id", "camden", "--partition",
		"--boundary", camden("boundary.geojson"), "--osm", camden("camden.osm.pbf"),
		"--households", camden("households.geojson"), "--communities", camden("msoa.geojson")}
}

func gridlineProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GRIDLINE_AS_COMMAND=1")
	return cmd
}

// TestImportSurvivesKill9 kills an import with SIGKILL while it writes (the
// moment its write-ahead log starts to grow), then checks that the store holds
// no trace of it, and that the import run again stores it whole.
func TestImportSurvivesKill9(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "gridline.db")
	cmd := gridlineProcess(importArgs(t, db)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		// The schema is written when the store opens; the import's own
		// transaction is what pushes the log past it.
		if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 256<<10 {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the import never began to write")
	}

	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatalf("store after kill -9: %v", err)
	}
	js, err := st.Jurisdictions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CountGrids(ctx, store.GridQuery{})
	if err != nil {
		t.Fatal(err)
	}
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if len(js) != 0 || n != 0 || len(units) != 0 {
		t.Fatalf("a killed import left %d jurisdictions, %d grids, %d units", len(js), n, len(units))
	}

	if out, err := gridlineProcess(importArgs(t, db)...).CombinedOutput(); err != nil {
		t.Fatalf("import after the kill: %v\n%s", err, out)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	grids, err := st.Grids(ctx, store.GridQuery{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, g := range grids {
		total += g.Households
	}
	if len(grids) < 200 || total != 97534 {
		t.Errorf("after a clean import: %d grids holding %d households", len(grids), total)
	}
}

// TestEditsSurviveKill9 serves a store from a child process, sends it a
// stream of edits, and kills it with SIGKILL in the middle. Every edit the
// server acknowledged must be in the history, the versions must run without
// a gap, and every block must still be in exactly one grid.
func TestEditsSurviveKill9(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "gridline.db")
	if out, err := gridlineProcess(importArgs(t, db)...).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	key, err := st.CreateKey(ctx, "ana", "planner")
	if err != nil {
		t.Fatal(err)
	}
	grids, err := st.Grids(ctx, store.GridQuery{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := gridlineProcess("serve", "--db", db, "--addr", addr)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	base := "http://" + addr + "/v1/jurisdictions/camden"
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not come up")
		}
	}

	// Lock and unlock grids in turn until the server dies under us; kill it
	// after a random number of acknowledged edits.
	acked := map[string]bool{}
	killAfter := 5 + rand.IntN(20)
	version := 1
	for i := 0; ; i++ {
		reason := fmt.Sprintf("edit %d", i)
		body := fmt.Sprintf(`{"op": %q, "grid": %q, "reason": %q}`, []string{"lock", "unlock"}[(i/len(grids))%2], grids[i%len(grids)].Code, reason)
		req, _ := http.NewRequest("POST", base+"/edits", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("If-Match", fmt.Sprintf(`"v%d"`, version))
		if len(acked) == killAfter {
			go func() {
				time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
				srv.Process.Signal(syscall.SIGKILL)
			}()
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			break // the server is gone
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("edit %d: %s", i, resp.Status)
		}
		acked[reason] = true
		version++
	}
	srv.Wait()

	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatalf("store after kill -9: %v", err)
	}
	defer st.Close()
	vs, err := st.Versions(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for i, v := range vs {
		if v.Version != i+1 {
			t.Fatalf("versions jump from %d to %d", i, v.Version)
		}
		stored[v.Reason] = true
	}
	for r := range acked {
		if !stored[r] {
			t.Errorf("acknowledged %q is not in the history", r)
		}
	}
	s, err := st.State(ctx, "camden")
	if err != nil {
		t.Fatal(err)
	}
	for b, g := range s.GridOf {
		if _, ok := s.Grids[g]; !ok {
			t.Fatalf("block %d is in no current grid (%q)", b, g)
		}
	}
	t.Logf("%d edits acknowledged before the kill, %d versions stored", len(acked), len(vs))
}
