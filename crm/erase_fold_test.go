package crm

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestEraseTrailFoldsUnicode: an erasure scrubs the export logs that name
// the person however they spelt the name's capitals, umlauts included
// (SQLite's LIKE folds ASCII only: "ÖZDEMIR" stayed in the log of an
// erased Özdemir), and leaves the others.
func TestEraseTrailFoldsUnicode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, q := range []string{"Anna ÖZDEMIR", "özdemir", "Özdemir Ünal", "Müller"} {
			d.Client.ExportLog.Create().SetQuery(q).SetFilter(schema.SegmentFilter{}).SetFormat("csv").SetPurpose("Pressemitteilung").ExecX(ctx)
		}
		var n int
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) (err error) {
			n, err = scrubExportLogs(ctx, tx, []string{"Özdemir"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("scrubbed %d export logs, want the 3 that name Özdemir", n)
		}
		if left := d.Client.ExportLog.Query().Order(ent.Asc("id")).AllX(ctx); len(left) != 4 || left[3].Query != "Müller" {
			t.Errorf("the log of another person changed: %+v", left)
		}
	})
}
