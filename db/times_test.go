package db_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/customfield"
	"github.com/rapport-crm/rapport/ent/migrate"
	"github.com/rapport-crm/rapport/ent/notification"
	"github.com/rapport-crm/rapport/ent/place"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestTimesRoundTrip writes a time with sub-second precision in a zone east
// of UTC into every time column of every table (enumerated from the generated
// schema, so a new column is covered without touching this test) and reads it
// back through ent and as the raw-SQL readers do: a plain column, a column
// without declared type (a UNION branch, which SQLite hands over as text) and
// a range condition against a UTC bound (SQLite compares the stored text).
func TestTimesRoundTrip(t *testing.T) {
	graph, err := entc.LoadGraph("../ent/schema", &gen.Config{})
	if err != nil {
		t.Fatal(err)
	}
	fieldOf := map[string]string{} // "table.column" → the ent type and struct field
	for _, n := range graph.Nodes {
		for _, f := range n.Fields {
			fieldOf[n.Table()+"."+f.StorageKey()] = n.Name + "." + f.StructField()
		}
	}
	want := time.Date(2026, 3, 29, 2, 30, 15, 123456000, time.FixedZone("CEST", 2*3600)) // PostgreSQL keeps microseconds
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		keys := fixtures(t, d)
		for _, table := range migrate.Tables {
			for _, col := range table.Columns {
				if col.Type != field.TypeTime {
					continue
				}
				name := table.Name + "." + col.Name
				t.Run(name, func(t *testing.T) {
					key, ok := keys[table.Name]
					if !ok {
						t.Fatalf("no row in %s: add one to fixtures", table.Name)
					}
					q := fmt.Sprintf("UPDATE %s SET %s = $1 WHERE %s", table.Name, col.Name, key.where(2))
					if _, err := d.Client.ExecContext(ctx, q, append([]any{want}, key.vals...)...); err != nil {
						t.Fatal(err)
					}
					readRaw(t, d, table.Name, col.Name, key, want)
					ef, ok := fieldOf[name]
					if !ok {
						t.Fatalf("%s is not a field of an ent type", name)
					}
					if got := readEnt(t, d.Client, ef, key); !got.Equal(want) {
						t.Errorf("through ent (%s): %s, want %s", ef, got, want)
					}
				})
			}
		}
	})
}

// readRaw reads column col of row id as the raw-SQL readers do.
func readRaw(t *testing.T, d *db.DB, table, col string, key rowKey, want time.Time) {
	t.Helper()
	ctx := t.Context()
	for _, q := range []string{
		fmt.Sprintf("SELECT %s FROM %s WHERE %s", col, table, key.where(1)),
		fmt.Sprintf("SELECT CAST(NULL AS timestamptz) AS t UNION ALL SELECT %s FROM %s WHERE %s", col, table, key.where(1)),
	} {
		rows, err := d.Client.QueryContext(ctx, q, key.vals...)
		if err != nil {
			t.Fatal(err)
		}
		var got []time.Time
		for rows.Next() {
			var at db.Time
			if err := rows.Scan(&at); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if at.Valid {
				got = append(got, at.Time)
			}
		}
		rows.Close()
		if len(got) != 1 || !got[0].Equal(want) {
			t.Errorf("%s: %v, want %s", q, got, want)
		}
	}
	for _, c := range []struct {
		op    string
		bound time.Time
		n     int
	}{{">=", want, 1}, {">", want, 0}, {"<", want.Add(time.Microsecond), 1}, {">=", want.Add(time.Microsecond), 0},
		{">=", want.Add(-time.Hour), 1}, {"<", want.Add(time.Hour), 1}} {
		var n int
		q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s %s $1 AND %s", table, col, c.op, key.where(2))
		rows, err := d.Client.QueryContext(ctx, q, append([]any{c.bound.UTC()}, key.vals...)...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		rows.Close()
		if n != c.n {
			t.Errorf("%s %s %s (UTC): %d rows, want %d", col, c.op, c.bound.UTC().Format(time.RFC3339Nano), n, c.n)
		}
	}
}

// readEnt loads row key through the ent client of typ ("Contact.CreatedAt"),
// whatever its key, and returns the field.
func readEnt(t *testing.T, client *ent.Client, typField string, key rowKey) time.Time {
	t.Helper()
	typ, fld, _ := strings.Cut(typField, ".")
	c := reflect.ValueOf(client).Elem().FieldByName(typ)
	if !c.IsValid() {
		t.Fatalf("no ent client %s", typ)
	}
	q := c.MethodByName("Query").Call(nil)[0]
	where := q.MethodByName("Where")
	pred := reflect.ValueOf(func(s *sql.Selector) {
		for i, col := range key.cols {
			s.Where(sql.EQ(s.C(col), key.vals[i]))
		}
	}).Convert(where.Type().In(0).Elem())
	q = where.Call([]reflect.Value{pred})[0]
	out := q.MethodByName("Only").Call([]reflect.Value{reflect.ValueOf(context.Background())})
	if err, _ := out[1].Interface().(error); err != nil {
		t.Fatalf("%s where %v: %v", typ, key, err)
	}
	v := out[0].Elem().FieldByName(fld)
	switch at := v.Interface().(type) {
	case time.Time:
		return at
	case *time.Time:
		if at != nil {
			return *at
		}
	}
	return time.Time{}
}

// rowKey is a row's primary key.
type rowKey struct {
	cols []string
	vals []any
}

// where is the condition on the key, its parameters numbered from n.
func (k rowKey) where(n int) string {
	conds := make([]string, len(k.cols))
	for i, c := range k.cols {
		conds[i] = fmt.Sprintf("%s = $%d", c, n+i)
	}
	return strings.Join(conds, " AND ")
}

// fixtures fills every table with at least one row (a small demo plus what it
// leaves out) and returns the key of one row per table.
func fixtures(t *testing.T, d *db.DB) map[string]rowKey {
	t.Helper()
	ctx := t.Context()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 40, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	c := d.Client
	u := c.User.Query().FirstX(ctx)
	job := c.ImportJob.Create().SetFilename("x.csv").SetFormat("csv").SetUserID(u.ID).SaveX(ctx)
	c.ImportRow.Create().SetImportID(job.ID).SetRowNo(1).SetAction("error").ExecX(ctx)
	c.ImportMapping.Create().SetName("m").SetMapping(map[string]string{}).ExecX(ctx)
	c.ExportLog.Create().SetFilter(schema.SegmentFilter{}).SetFormat("csv").SetPurpose("test").ExecX(ctx)
	c.Segment.Create().SetFilter(schema.SegmentFilter{}).SetName("s").ExecX(ctx)
	sv := c.SavedView.Create().SetName("v").SetOwnerID(u.ID).SetQuery("sort=reach").SaveX(ctx)
	c.ViewDefault.Create().SetUserID(u.ID).SetViewID(sv.ID).ExecX(ctx)
	c.Session.Create().SetTokenHash("h").SetUserID(u.ID).SetCreatedAt(time.Now()).SetLastSeenAt(time.Now()).
		SetExpiresAt(time.Now()).ExecX(ctx)
	c.AuditEvent.Create().SetAction("test").ExecX(ctx)
	c.Suppression.Create().SetHash("h").ExecX(ctx) // the demo erases nobody
	c.Place.Create().SetKind(place.KindCity).SetName("Teststadt").ExecX(ctx)
	c.CustomField.Create().SetEntity(customfield.EntityContact).SetKey("birthday").SetType(customfield.TypeDate).
		SetLabelEn("Birthday").SetLabelDe("Geburtstag").ExecX(ctx)
	w := c.Webhook.Create().SetURL("https://hooks.example.com").SetSecret("s").SetEvents([]string{"contact.created"}).SaveX(ctx)
	c.WebhookDelivery.Create().SetWebhookID(w.ID).SetAuditID(1).SetEvent("contact.created").SetPayload("{}").
		SetNextAttemptAt(time.Now()).SetDeliveredAt(time.Now()).ExecX(ctx)
	c.Notification.Create().SetUserID(u.ID).SetKind(notification.KindDigest).SetKey("digest/2026-12-05/1").SetTo(u.Email).
		SetSubject("s").SetBody("b").SetNextAttemptAt(time.Now()).SetSentAt(time.Now()).ExecX(ctx)
	c.MailSetting.Create().SetHost("smtp.example.com").SetSender("rapport@example.com").ExecX(ctx)
	oc := c.OwnedChannel.Create().SetPlatform("x").SetHandle("rapport_test").SaveX(ctx)
	f := c.Feed.Create().SetURL("https://blog.example.com/feed").SetOwnedChannelID(oc.ID).SetNextPollAt(time.Now()).
		SetLeaseUntil(time.Now()).SetPolledAt(time.Now()).SaveX(ctx)
	var post *ent.FeedPost
	err := db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) (err error) { // the outbox looks at every post
		post, err = tx.FeedPost.Create().SetFeedID(f.ID).SetOwnedChannelID(oc.ID).SetKey("guid-1").SetPublishedAt(time.Now()).Save(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rule := c.KeywordRule.Create().SetTerm("Rapport").SaveX(ctx)
	c.KeywordAlert.Create().SetRuleID(rule.ID).SetFeedPostID(post.ID).ExecX(ctx)
	keys := map[string]rowKey{}
	for _, table := range migrate.Tables {
		var k rowKey
		for _, c := range table.PrimaryKey {
			k.cols = append(k.cols, c.Name)
		}
		cols := strings.Join(k.cols, ", ")
		rows, err := c.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s LIMIT 1", cols, table.Name, cols))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			k.vals = make([]any, len(k.cols))
			ptrs := make([]any, len(k.cols))
			for i := range ptrs {
				ptrs[i] = &k.vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			keys[table.Name] = k
		}
		rows.Close()
	}
	return keys
}
