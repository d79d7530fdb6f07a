package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gridline/gridline/api"
	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/partition"
	"github.com/gridline/gridline/store"
)

// runImport loads a jurisdiction into the store: its blocks always, and with
// --partition its grids as the first version, all in one transaction.
func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	db := dbFlag(fs)
	id := fs.String("id", "", "the jurisdiction's id: letters, digits, '-', '_', '.' (required)")
	name := fs.String("name", "", "the jurisdiction's name (default: the boundary's name property, or the id)")
	in := inputFlags(fs)
	doPartition := fs.Bool("partition", false, "partition the jurisdiction and store its grids as version 1")
	townships := fs.String("townships", "", "optional GeoJSON polygons of the level between the district and the communities")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" {
		return errors.New("import: --id is required")
	}
	opt, err := in.options()
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	im := store.Import{ID: *id, Name: *name, Band: opt.Band, Author: "gridline import"}
	if *townships != "" {
		if im.Townships, err = datasets.ReadRegions(*townships); err != nil {
			return fmt.Errorf("townships: %w", err)
		}
	}
	b, res, rep, err := partition.Build(ctx, in.paths, opt, *doPartition)
	if err != nil {
		return err
	}
	printProblems(rep)
	im.Blocks, im.Result, im.Name = b, res, cmp.Or(im.Name, rep.Name)
	if err := st.Import(ctx, im); err != nil {
		return err
	}
	grids := 0
	if im.Result != nil {
		grids = len(im.Result.Grids)
	}
	slog.Info("imported", "id", *id, "db", store.Redact(*db), "blocks", len(im.Blocks.Blocks), "communities", len(im.Blocks.Communities), "grids", grids)
	return nil
}

// dbFlag defines the --db flag every command on the store takes.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "gridline.db", "the store: a SQLite file, or a postgres:// URL (PostgreSQL with PostGIS)")
}

// watchEvery is how often serve looks for writes by other processes.
const watchEvery = 250 * time.Millisecond

// runServe serves the store over HTTP until interrupted, then drains
// requests in flight.
func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "host:port to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := api.New(ctx, st, slog.Default())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	go srv.Watch(ctx, watchEvery)
	slog.Info("serving", "addr", ln.Addr().String(), "db", store.Redact(*db))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shut)
}
