package crm

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
)

// TestLookupsFollowWrites: what Lookups caches (filter choices, stages, list
// pages with their totals) changes with the next read after a write through
// the client, inside a transaction only after the commit, and after the TTL
// for a write no hook sees (raw SQL).
func TestLookupsFollowWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := NewLookups(d.Client, time.Hour)
		sels := NewSelections(d.Client, d.Dialect, nil, nil, l)
		page := func() *ContactPage {
			t.Helper()
			p, err := sels.List(ctx, ListParams{Selection: Selection{Query: "Zoë"}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if p := page(); p.Total != 0 || len(p.Rows) != 0 {
			t.Fatalf("empty database: %+v", p)
		}
		if _, err := CreateContact(ctx, d.Client, ContactInput{FirstName: "Zoë", LastName: "Çelik", Region: "Bayern", Tags: []string{"presse"}}); err != nil {
			t.Fatal(err)
		}
		if p := page(); p.Total != 1 || len(p.Rows) != 1 || p.Rows[0].Region != "Bayern" {
			t.Errorf("after create: %+v", p)
		}
		fc, err := l.FilterChoices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(fc.Regions, "Bayern") || !slices.Contains(fc.Tags, "presse") {
			t.Errorf("choices after create: %+v", fc)
		}

		// In a transaction: a read before the commit caches the old rows,
		// which the commit makes stale.
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			if err := tx.Tag.Create().SetName("blog").Exec(ctx); err != nil {
				return err
			}
			fc, err := l.FilterChoices(context.Background())
			if err == nil && slices.Contains(fc.Tags, "blog") {
				t.Error("an uncommitted tag is shown")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if fc, _ := l.FilterChoices(ctx); !slices.Contains(fc.Tags, "blog") {
			t.Errorf("committed tag missing: %v", fc.Tags)
		}

		// Raw SQL: no hook sees it; Invalidate (or the TTL) does.
		if _, err := d.SQL.ExecContext(ctx, "INSERT INTO topics (name) VALUES ('raw')"); err != nil {
			t.Fatalf("raw insert: %v", err)
		}
		if fc, _ := l.FilterChoices(ctx); slices.Contains(fc.Topics, "raw") {
			t.Error("a raw write was seen without invalidation (the test assumes the cache holds)")
		}
		// A write to an entity nothing cached is read from (the import
		// worker's stale check, every second) keeps the cache.
		if _, err := d.Client.ImportJob.Update().Where(importjob.IDLT(0)).SetMessage("x").Save(ctx); err != nil {
			t.Fatal(err)
		}
		if fc, _ := l.FilterChoices(ctx); slices.Contains(fc.Topics, "raw") {
			t.Error("an import job's update emptied the cache")
		}
		l.Invalidate()
		if fc, _ := l.FilterChoices(ctx); !slices.Contains(fc.Topics, "raw") {
			t.Errorf("after Invalidate: %v", fc.Topics)
		}
		l.ttl = time.Nanosecond
		if _, err := d.SQL.ExecContext(ctx, "INSERT INTO topics (name) VALUES ('raw2')"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
		if fc, _ := l.FilterChoices(ctx); !slices.Contains(fc.Topics, "raw2") {
			t.Errorf("after the TTL: %v", fc.Topics)
		}
	})
}
