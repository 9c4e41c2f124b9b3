package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/locale"
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
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot normalise the places"), err)
	}
	fmt.Fprintln(out, trn(ctx, "Places: {{.Changed}} of {{.Count}} contacts normalised.", rep.Scanned, "Changed", num(ctx, rep.Changed)))
	for _, c := range rep.Changes {
		fmt.Fprintf(out, "  %s %q → %q: %s\n", locale.Label(ctx, c.Field), c.From, c.To, num(ctx, c.Contacts))
	}
	return nil
}
