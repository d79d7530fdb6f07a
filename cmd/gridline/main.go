// Command gridline divides jurisdictions into grids of 200–500 households and
// serves them.
//
// Usage:
//
//	gridline partition --boundary FILE --osm FILE [--households FILE] ... --out FILE
//	gridline import --db FILE --id NAME [partition's dataset flags] [--partition]
//	gridline serve --db FILE --addr HOST:PORT
//	gridline keys add --db FILE --name WHO --role reader|planner|admin
//	gridline tiles export --db FILE --out FILE.mbtiles [--minzoom 10] [--maxzoom 16]
//	gridline bench
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"partition", "divide a jurisdiction into grids", runPartition},
		{"import", "load a jurisdiction into the store, optionally partitioned", runImport},
		{"serve", "serve the store over HTTP: ownership lookups, grids, edits", runServe},
		{"keys", "add an API key (reader, planner or admin) to the store", runKeys},
		{"tiles", "export the store's vector tiles to an MBTiles file", runTiles},
		{"bench", "measure partition speed and memory (figures in the README)", runBench},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gridline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gridline COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(os.Stderr, "\n'gridline COMMAND -h' lists a command's flags.")
}
