package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/gridline/gridline/store"
)

// runKeys manages API keys: `gridline keys add --db FILE --name WHO --role ROLE`
// prints a new key's token, the only time its secret is shown.
func runKeys(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("keys: usage: gridline keys add --db FILE --name WHO --role reader|planner|admin")
	}
	fs := flag.NewFlagSet("keys add", flag.ContinueOnError)
	db := fs.String("db", "gridline.db", "the store: a SQLite file, or a postgres:// URL (PostgreSQL with PostGIS)")
	name := fs.String("name", "", "who holds the key (required); edits are signed with it")
	role := fs.String("role", store.RoleReader, "reader, planner or admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	token, err := st.CreateKey(ctx, *name, *role)
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}
