package importing_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// deleteVariants are the databases and modes a contact's deletion runs in.
var deleteVariants = []struct {
	name, dia string
	triggers  bool // PostgreSQL: with the foreign keys' triggers (DeleteWithTriggers)
}{{"sqlite", dialect.SQLite, false}, {"postgres", dialect.Postgres, false}, {"postgres-triggers", dialect.Postgres, true}}

// perBatch bounds the statements of one batch of a revert: the contact
// delete path's (two look-ups, five locks and two SETs on PostgreSQL, one
// per foreign key, the interactions, the contacts, the audit) and the
// revert's own (rows, later edits, progress).
var perBatch = len(crm.ContactKeys()) + 20

// dependentTables are the tables that hold a contact's rows, each with how
// its rows of the contacts ids are counted (one parameter-free query per
// table: the ids are inlined, they are the test's own).
var dependentTables = map[string]string{
	"contact_emails":       "SELECT count(*) FROM contact_emails WHERE contact_id IN (%s)",
	"social_profiles":      "SELECT count(*) FROM social_profiles WHERE contact_id IN (%s)",
	"follower_snapshots":   "SELECT count(*) FROM follower_snapshots WHERE social_profile_id IN (SELECT id FROM social_profiles WHERE contact_id IN (%s))",
	"employments":          "SELECT count(*) FROM employments WHERE contact_id IN (%s)",
	"contact_topics":       "SELECT count(*) FROM contact_topics WHERE contact_id IN (%s)",
	"contact_tags":         "SELECT count(*) FROM contact_tags WHERE contact_id IN (%s)",
	"participations":       "SELECT count(*) FROM participations WHERE contact_id IN (%s)",
	"tasks":                "SELECT count(*) FROM tasks WHERE contact_id IN (%s)",
	"nominations":          "SELECT count(*) FROM nominations WHERE contact_id IN (%s)",
	"nomination_decisions": "SELECT count(*) FROM nomination_decisions WHERE nomination_id IN (SELECT id FROM nominations WHERE contact_id IN (%s))",
	"consent_events":       "SELECT count(*) FROM consent_events WHERE contact_id IN (%s)",
}

// countDependents counts, per dependent table, the rows of the contacts ids.
func countDependents(t *testing.T, d *db.DB, ids []int) map[string]int {
	t.Helper()
	list := fmt.Sprint(ids[0])
	for _, id := range ids[1:] {
		list += fmt.Sprintf(",%d", id)
	}
	out := map[string]int{}
	for table, q := range dependentTables {
		rows, err := d.Client.QueryContext(context.Background(), fmt.Sprintf(q, list))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n int
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[table] = n
		}
		rows.Close()
	}
	return out
}

// giveDependents stores for each contact one row in every dependent table
// (written as the system, so that a revert does not count them as someone
// else's later work), among them an interaction each contact has alone.
func giveDependents(t *testing.T, d *db.DB, ids ...int) {
	t.Helper()
	ctx := context.Background()
	err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
		tag := tx.Tag.Create().SetName(fmt.Sprintf("Presse %d", ids[0])).SaveX(ctx)
		topic := tx.Topic.Create().SetName(fmt.Sprintf("Energie %d", ids[0])).SaveX(ctx)
		outlet := tx.Outlet.Create().SetName(fmt.Sprintf("Zeitung %d", ids[0])).SetType("newspaper").SaveX(ctx)
		now := time.Now().UTC().Add(-2 * time.Hour)
		for _, id := range ids {
			tx.ContactEmail.Create().SetContactID(id).SetAddress(fmt.Sprintf("dep%d@example.de", id)).ExecX(ctx)
			sp := tx.SocialProfile.Create().SetContactID(id).SetPlatform("x").SetHandle(fmt.Sprintf("dep_%d", id)).SaveX(ctx)
			tx.FollowerSnapshot.Create().SetChannelID(sp.ID).SetFollowers(100).SetAt(now).ExecX(ctx)
			tx.Employment.Create().SetContactID(id).SetOutletID(outlet.ID).ExecX(ctx)
			tx.ContactTopic.Create().SetContactID(id).SetTopicID(topic.ID).ExecX(ctx)
			tx.ContactTag.Create().SetContactID(id).SetTagID(tag.ID).ExecX(ctx)
			it := tx.Interaction.Create().SetType("call").SetOccurredAt(now).SetCreatedAt(now).SaveX(ctx)
			tx.Participation.Create().SetInteractionID(it.ID).SetContactID(id).SetOccurredAt(now).ExecX(ctx)
			tx.Task.Create().SetContactID(id).SetTitle("Nachfassen").SetDueAt(now).ExecX(ctx)
			nom := tx.Nomination.Create().SetContactID(id).SetReason("Schreibt oft über uns").SaveX(ctx)
			tx.NominationDecision.Create().SetNominationID(nom.ID).SetDecision("needs_info").ExecX(ctx)
			tx.ConsentEvent.Create().SetContactID(id).SetAt(now).SetLawfulBasis("legitimate_interest").SetConsentState("none").SetDoNotContact(false).ExecX(ctx)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRevertRemovesDependents: the revert of an import of 2,500 created
// contacts (three batches on SQLite, one on PostgreSQL) removes every row that belongs to them (e-mails,
// channels and their follower history, jobs, topic and tag links, their
// interactions, tasks, nominations and their decisions, consent history),
// keeps the same rows of a contact the import did not create, and an
// interaction shared with that contact; leaves no row in any table that
// refers to a row that is gone; and it costs a number of statements per
// batch that does not grow with the contacts or their rows. On PostgreSQL
// twice: without the foreign keys' triggers (the test's role may) and with
// them (as for a role that may not).
func TestRevertRemovesDependents(t *testing.T) {
	for _, v := range deleteVariants {
		t.Run(v.name, func(t *testing.T) {
			var statements atomic.Int64
			d := dbtest.Open(t, v.dia, dbtest.Observe(func(string, []any) func() { statements.Add(1); return nil }))
			if v.triggers {
				crm.DeleteWithTriggers(d.Client)
			}
			dia := v.dia
			ctx := context.Background()
			const n, batch = 2500, 1000
			j := fakeImport(t, d, n)
			var reverted []int // the contacts the import created, in row order
			for _, r := range d.Client.ImportRow.Query().Order(ent.Asc("row_no")).AllX(ctx) {
				reverted = append(reverted, *r.ContactID)
			}
			var stays int
			err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				stays = tx.Contact.Create().SetFirstName("Bleibt").SetLastName("Hier").SaveX(ctx).ID
				now := time.Now().UTC().Add(-2 * time.Hour)
				shared := tx.Interaction.Create().SetType("meeting").SetOccurredAt(now).SetCreatedAt(now).SaveX(ctx)
				tx.Participation.Create().SetInteractionID(shared.ID).SetContactID(reverted[1]).SetOccurredAt(now).ExecX(ctx)
				return tx.Participation.Create().SetInteractionID(shared.ID).SetContactID(stays).SetOccurredAt(now).Exec(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			// Rows in the first, a middle and the last batch, and the contact who stays.
			some := []int{reverted[0], reverted[batch+7], reverted[n-1]}
			giveDependents(t, d, append(some, stays)...)
			before := countDependents(t, d, []int{stays})

			statements.Store(0)
			res, err := importing.Revert(ctx, d.Client, j, 0) // the worker's batch: 1,000 on SQLite, 5,000 on PostgreSQL
			if err != nil {
				t.Fatal(err)
			}
			got := statements.Load()
			t.Logf("%s: reverting %d contacts (%d with a row in every dependent table): %d statements", dbtest.Name(dia), n, len(some), got)
			if res.Deleted != n {
				t.Errorf("deleted %d, want %d", res.Deleted, n)
			}
			// TestRevertStatements' bound for bare contacts in batches of 1,000 holds with dependents too.
			if want := int64(perBatch*(n/batch+1) + 20); got > want {
				t.Errorf("%d statements, want at most %d (a constant number per batch)", got, want)
			}
			for table, k := range countDependents(t, d, reverted) {
				if k != 0 {
					t.Errorf("%s: %d rows of reverted contacts left, want 0", table, k)
				}
			}
			after := countDependents(t, d, []int{stays})
			for table, k := range before {
				if k != 1 && table != "participations" || after[table] != k {
					t.Errorf("%s of the contact who stays: %d rows before, %d after, want 1 kept", table, k, after[table])
				}
			}
			if before["participations"] != 2 {
				t.Errorf("the contact who stays takes part in %d interactions, want 2", before["participations"])
			}
			if k := d.Client.Contact.Query().CountX(ctx); k != 1 {
				t.Errorf("%d contacts left, want 1 (Bleibt Hier)", k)
			}
			if k := d.Client.Interaction.Query().CountX(ctx); k != 2 {
				t.Errorf("%d interactions left, want 2 (the one who stays had alone and the shared one)", k)
			}
			for key, k := range dbtest.Orphans(t, d) {
				t.Errorf("%s: %d rows refer to a row that is gone", key, k)
			}
		})
	}
}
