package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/topic"
)

// TestCoverageMatchesIndependentCounts loads demo data and checks every cell
// of the matrix against counts made another way: one ent query per cell
// (EXISTS on the topic, no GROUP BY).
func TestCoverageMatchesIndependentCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, c := context.Background(), d.Client
		if _, err := demo.Load(ctx, c, demo.Options{Contacts: 300}); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		cov, err := crm.LoadCoverage(ctx, c, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(cov.Regions) < 3 || len(cov.Topics) < 5 {
			t.Fatalf("matrix %d × %d is too small for demo data", len(cov.Regions), len(cov.Topics))
		}
		active := contact.StageIn(stagesFrom(crm.Engaged)...)
		cells, total := 0, 0
		for _, r := range cov.Regions {
			for _, tp := range cov.Topics {
				n := c.Contact.Query().Where(contact.Region(r), active, contact.HasTopicsWith(topic.Name(tp))).CountX(ctx)
				s := c.Contact.Query().Where(contact.Region(r), active, contact.HasTopicsWith(topic.Name(tp)),
					contact.TouchDueAtLT(now.UTC())).CountX(ctx)
				cell := cov.Cell(r, tp)
				if cell.Active != n || cell.Stale != s {
					t.Errorf("%s × %s: matrix %d active / %d stale, independent count %d / %d", r, tp, cell.Active, cell.Stale, n, s)
				}
				if (cell.Fresh() > 0) != (cell.Level > 0) || cell.Level > 4 {
					t.Errorf("%s × %s: level %d for %d fresh", r, tp, cell.Level, cell.Fresh())
				}
				cells++
				total += n
			}
		}
		if total == 0 {
			t.Error("no engaged-or-better contact in any cell")
		}
	})
}

// stagesFrom lists the stages from key up the ladder.
func stagesFrom(key string) []contact.Stage {
	var out []contact.Stage
	for _, k := range crm.AtLeast(key) {
		out = append(out, contact.Stage(k))
	}
	return out
}
