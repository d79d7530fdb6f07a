package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
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
