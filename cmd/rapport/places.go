package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
)

// normalizeAfterMigration is the data half of the places migration: when
// the migrations just applied created the place table, every stored
// contact's city and region is brought to the canonical spelling through
// the contact writer, and what changed is reported.
func normalizeAfterMigration(ctx context.Context, d *db.DB, applied []string, out io.Writer) error {
	created := false
	for _, n := range applied {
		if strings.HasSuffix(n, "_places.sql") || strings.HasSuffix(n, "_places") {
			created = true
		}
	}
	if !created {
		return nil
	}
	rep, err := crm.NormalizePlaces(ctx, crm.NewContactWriter(d.Client, d.Dialect, nil, nil))
	if err != nil {
		return fmt.Errorf("normalise places: %w", err)
	}
	fmt.Fprintf(out, "places: %d of %d contacts normalised\n", rep.Changed, rep.Scanned)
	for _, c := range rep.Changes {
		fmt.Fprintf(out, "  %s %q → %q: %d\n", c.Field, c.From, c.To, c.Contacts)
	}
	return nil
}
