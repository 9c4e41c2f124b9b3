package crm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/search"
)

// TestContactKeys: the foreign keys the contact delete path follows itself
// (contactKeys) are exactly those that the database's catalogue says refer,
// directly or through rows that go with them, to a deleted contact or
// interaction, with the same action; every one has an index led by its
// column (each step is an index look-up); and PostgreSQL has no trigger or
// rule of its own that session_replication_role = replica would silence.
func TestContactKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		all := dbtest.ForeignKeys(t, d)
		gone := map[string]bool{rootContacts: true, rootInteractions: true}
		want := map[ForeignKey]string{} // SetNull false; the catalogue's action
		for grew := true; grew; {
			grew = false
			for _, k := range all {
				if !gone[k.Parent] {
					continue
				}
				key := ForeignKey{Table: k.Table, Column: k.Column, Parent: k.Parent}
				if _, ok := want[key]; !ok {
					want[key], grew = k.OnDelete, true
					if k.Ref != "id" {
						t.Errorf("%s.%s refers to %s.%s; the delete path finds parents by id", k.Table, k.Column, k.Parent, k.Ref)
					}
				}
				if k.OnDelete == "CASCADE" && !gone[k.Table] {
					gone[k.Table], grew = true, true
				}
			}
		}
		have := map[ForeignKey]string{}
		for _, k := range contactKeys {
			action := "CASCADE"
			if k.SetNull {
				action, k.SetNull = "SET NULL", false
			}
			have[k] = action
		}
		for k, action := range want {
			switch {
			case action != "CASCADE" && action != "SET NULL":
				t.Errorf("%s.%s → %s is ON DELETE %s: the delete path does only CASCADE and SET NULL", k.Table, k.Column, k.Parent, action)
			case have[k] == "":
				t.Errorf("contactKeys misses %s.%s → %s (ON DELETE %s)", k.Table, k.Column, k.Parent, action)
			case have[k] != action:
				t.Errorf("contactKeys has %s.%s → %s as %s, the database ON DELETE %s", k.Table, k.Column, k.Parent, have[k], action)
			}
			if !ledIndex(t, d, k.Table, k.Column) {
				t.Errorf("%s.%s has no index led by it: each delete step would scan the table", k.Table, k.Column)
			}
		}
		for k := range have {
			if want[k] == "" {
				t.Errorf("contactKeys has %s.%s → %s, which the database does not", k.Table, k.Column, k.Parent)
			}
		}
		if d.Dialect != dialect.Postgres {
			return
		}
		var own []string
		rows, err := d.SQL.Query(`SELECT tgrelid::regclass::text || '.' || tgname FROM pg_trigger WHERE NOT tgisinternal
			UNION ALL SELECT tablename || ' rule ' || rulename FROM pg_rules WHERE schemaname = 'public'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			own = append(own, s)
		}
		if len(own) > 0 {
			t.Errorf("triggers or rules %v: the contact delete path turns triggers off (session_replication_role = replica); it would silence them", own)
		}
	})
}

// ledIndex reports whether table has an index whose first column is col.
func ledIndex(t *testing.T, d *db.DB, table, col string) bool {
	t.Helper()
	q := `SELECT count(*) FROM pragma_index_list(?) AS il JOIN pragma_index_info(il.name) AS ii WHERE ii.seqno = 0 AND ii.name = ?`
	if d.Dialect == dialect.Postgres {
		q = `SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
			WHERE i.indrelid = $1::regclass AND a.attname = $2`
	}
	var n int
	if err := d.SQL.QueryRow(q, table, col).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestDeleteTriggerProbe: a PostgreSQL role that is no superuser may turn
// the triggers off only once granted SET ON PARAMETER
// session_replication_role (PostgreSQL 15); the superuser may.
func TestDeleteTriggerProbe(t *testing.T) {
	dbURL := dbtest.CreatePostgres(t)
	ctx := context.Background()
	probe := func(u string) bool {
		t.Helper()
		d, err := db.Open(ctx, u, "", search.Outbox(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		var free bool
		if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) (err error) {
			free, err = w.triggerFree(ctx, tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return free
	}
	if !probe(dbURL) {
		t.Error("the superuser may not turn the triggers off, want may")
	}
	admin, err := db.Open(ctx, dbURL, "", search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var v int
	if err := admin.SQL.QueryRow("SELECT current_setting('server_version_num')::int").Scan(&v); err != nil || v < 150000 {
		t.Skipf("PostgreSQL %d (%v): no SET ON PARAMETER before 15", v, err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	role := "rapport_probe_" + hex.EncodeToString(b)
	if _, err := admin.SQL.Exec("CREATE ROLE " + role + " LOGIN"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.SQL.Exec("REVOKE SET ON PARAMETER session_replication_role FROM " + role)
		_, _ = admin.SQL.Exec("DROP ROLE " + role)
	})
	u, _ := url.Parse(dbURL)
	u.User = url.User(role)
	if probe(u.String()) {
		t.Error("a role without the grant may turn the triggers off, want may not")
	}
	if _, err := admin.SQL.Exec("GRANT SET ON PARAMETER session_replication_role TO " + role); err != nil {
		t.Fatal(err)
	}
	if !probe(u.String()) {
		t.Error("a role with the grant may not turn the triggers off, want may")
	}
}

// deleteModes are the databases and modes a contact's deletion runs in.
var deleteModes = []struct {
	name, dia string
	triggers  bool // PostgreSQL: with the foreign keys' triggers (DeleteWithTriggers)
}{{"sqlite", dialect.SQLite, false}, {"postgres", dialect.Postgres, false}, {"postgres-triggers", dialect.Postgres, true}}

// TestEraseLeavesNoOrphans: erasing contacts with a row in every table that
// refers to them (and rows referring to those: follower history, feeds and
// their posts with keyword alerts, nomination decisions and evidence) leaves
// no row that refers to a row that is gone, in any table; the same rows of
// a contact who stays are all kept, and so is an interaction shared with
// them; a keyword alert on the stayer's post that pointed to an erased
// contact's task stays, without the task.
func TestEraseLeavesNoOrphans(t *testing.T) {
	for _, m := range deleteModes {
		t.Run(m.name, func(t *testing.T) {
			d := dbtest.Open(t, m.dia, nil)
			if m.triggers {
				DeleteWithTriggers(d.Client)
			}
			ctx := context.Background()
			ids := makeContacts(t, d.Client, 3)
			erased, stays := ids[:2], ids[2]
			f := fillDependents(t, d, ids...)
			shared := logWith(t, d.Client, "gemeinsam", erased[0], stays)
			before := rowCounts(t, d)
			if _, err := NewContactWriter(d.Client, d.Dialect, nil, nil).Erase(ctx, erased, EraseOptions{}); err != nil {
				t.Fatal(err)
			}
			for key, n := range dbtest.Orphans(t, d) {
				t.Errorf("%s: %d rows refer to a row that is gone", key, n)
			}
			after := rowCounts(t, d)
			for _, table := range dependentTables { // the erased contacts' rows went
				each := 1
				if table == "contact_emails" {
					each = 2 // makeContacts gave each one too
				}
				if want := before[table] - each*len(erased); after[table] != want {
					t.Errorf("%s: %d rows left of %d, want %d (the stayer's)", table, after[table], before[table], want)
				}
			}
			if after["contacts"] != 1 {
				t.Errorf("%d contacts left, want 1", after["contacts"])
			}
			// The stayer's own interaction and the shared one; the shared one without the erased.
			if after["interactions"] != 2 || after["participations"] != 2 {
				t.Errorf("%d interactions with %d participations left, want 2 with 2", after["interactions"], after["participations"])
			}
			if !d.Client.Interaction.Query().Where(interaction.ID(shared)).ExistX(ctx) {
				t.Error("the interaction shared with the stayer is gone")
			}
			var task *int
			if err := d.SQL.QueryRow("SELECT task_id FROM keyword_alerts WHERE id = " + fmt.Sprint(f.crossAlert)).Scan(&task); err != nil || task != nil {
				t.Errorf("the stayer's alert on an erased contact's task: task %v (%v), want kept with none", task, err)
			}
		})
	}
}

// dependentTables are the tables fillDependents gives each contact a row in.
var dependentTables = []string{"contact_emails", "social_profiles", "follower_snapshots", "feeds", "feed_posts",
	"keyword_alerts", "employments", "contact_topics", "contact_tags", "tasks", "nominations", "nomination_decisions",
	"nomination_evidence", "consent_events", "retention_reviews", "campaign_targets", "coverage_authors"}

// rowCounts counts the rows of the dependent tables, the contacts, the
// interactions and the participations.
func rowCounts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range append(slices.Clone(dependentTables), "contacts", "interactions", "participations") {
		var n int
		if err := d.SQL.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

type filled struct{ crossAlert int }

// fillDependents gives each contact one row in every dependent table (one
// keyword alert each: on its post, for its task), an interaction of their
// own with a nomination's evidence, and the last contact's post an alert
// for the first one's task (crossAlert).
func fillDependents(t *testing.T, d *db.DB, ids ...int) filled {
	t.Helper()
	var f filled
	err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		now := time.Now().UTC().Add(-2 * time.Hour)
		tag := tx.Tag.Create().SetName("Presse").SaveX(ctx)
		topic := tx.Topic.Create().SetName("Energie").SaveX(ctx)
		outlet := tx.Outlet.Create().SetName("Zeitung").SetType("newspaper").SaveX(ctx)
		brand := tx.Brand.Create().SetName("Marke").SaveX(ctx)
		camp := tx.Campaign.Create().SetBrandID(brand.ID).SetName("Kampagne").SetStartsAt(now).SaveX(ctx)
		item := tx.CoverageItem.Create().SetCampaignID(camp.ID).SetTitle("Artikel").SetPublishedAt(now).SaveX(ctx)
		rule := tx.KeywordRule.Create().SetTerm("Energie").SaveX(ctx)
		var firstTask, lastPost int
		for i, id := range ids {
			tx.ContactEmail.Create().SetContactID(id).SetAddress(fmt.Sprintf("dep%d@example.de", id)).ExecX(ctx)
			sp := tx.SocialProfile.Create().SetContactID(id).SetPlatform("x").SetHandle(fmt.Sprintf("dep_%d", id)).SaveX(ctx)
			tx.FollowerSnapshot.Create().SetChannelID(sp.ID).SetFollowers(100).SetAt(now).ExecX(ctx)
			feed := tx.Feed.Create().SetURL(fmt.Sprintf("https://example.de/%d.rss", id)).SetSocialProfileID(sp.ID).SetContactID(id).
				SetNextPollAt(now).SetLeaseUntil(now).SaveX(ctx)
			post := tx.FeedPost.Create().SetFeedID(feed.ID).SetContactID(id).SetKey(fmt.Sprint(id)).SetPublishedAt(now).SaveX(ctx)
			task := tx.Task.Create().SetContactID(id).SetTitle("Nachfassen").SetDueAt(now).SaveX(ctx)
			tx.KeywordAlert.Create().SetRuleID(rule.ID).SetFeedPostID(post.ID).SetTaskID(task.ID).ExecX(ctx)
			if i == 0 {
				firstTask = task.ID
			}
			lastPost = post.ID
			tx.Employment.Create().SetContactID(id).SetOutletID(outlet.ID).ExecX(ctx)
			tx.ContactTopic.Create().SetContactID(id).SetTopicID(topic.ID).ExecX(ctx)
			tx.ContactTag.Create().SetContactID(id).SetTagID(tag.ID).ExecX(ctx)
			it := tx.Interaction.Create().SetType("call").SetOccurredAt(now).SetCreatedAt(now).SaveX(ctx)
			tx.Participation.Create().SetInteractionID(it.ID).SetContactID(id).SetOccurredAt(now).ExecX(ctx)
			nom := tx.Nomination.Create().SetContactID(id).SetReason("Schreibt oft über uns").SaveX(ctx)
			tx.NominationDecision.Create().SetNominationID(nom.ID).SetDecision("needs_info").ExecX(ctx)
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO nomination_evidence (nomination_id, interaction_id) VALUES (%d, %d)", nom.ID, it.ID)); err != nil {
				return err
			}
			tx.ConsentEvent.Create().SetContactID(id).SetAt(now).SetLawfulBasis("legitimate_interest").SetConsentState("none").SetDoNotContact(false).ExecX(ctx)
			tx.RetentionReview.Create().SetContactID(id).SetPolicy("stale").SetFoundAt(now).ExecX(ctx)
			tx.CampaignTarget.Create().SetCampaignID(camp.ID).SetContactID(id).SetAddedAt(now).SetStatusAt(now).ExecX(ctx)
			tx.CoverageAuthor.Create().SetCoverageItemID(item.ID).SetContactID(id).ExecX(ctx)
		}
		f.crossAlert = tx.KeywordAlert.Create().SetRuleID(tx.KeywordRule.Create().SetTerm("Wind").SaveX(ctx).ID).
			SetFeedPostID(lastPost).SetTaskID(firstTask).SaveX(ctx).ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}
