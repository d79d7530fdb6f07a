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
	db := dbFlag(fs)
	name := fs.String("name", "", "who holds the key (required); edits are signed with it")
	role := fs.String("role", store.RoleReader, "reader, planner or admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return withStore(ctx, *db, func(st *store.Store) error {
		token, err := st.CreateKey(ctx, *name, *role)
		if err != nil {
			return err
		}
		fmt.Println(token)
		return nil
	})
}

// withStore opens the store at dsn for fn, and closes it after.
func withStore(ctx context.Context, dsn string, fn func(*store.Store) error) error {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}
