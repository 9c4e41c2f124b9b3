package bench

import (
	"context"
	stdsql "database/sql"
	"io"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/pages"
)

// countingDriver counts the statements sent to the database.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func (d countingDriver) Query(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, q, args, v)
}

// QueryContext serves ent.Client.QueryContext (raw SQL) and counts it too.
func (d countingDriver) QueryContext(ctx context.Context, q string, args ...any) (*stdsql.Rows, error) {
	d.n.Add(1)
	return d.Driver.(interface {
		QueryContext(context.Context, string, ...any) (*stdsql.Rows, error)
	}).QueryContext(ctx, q, args...)
}

// listView is what one list page renders: rows, total, filter choices, stages.
type listView struct {
	rows    []pages.ContactRow
	total   int
	more    bool
	choices crm.FilterChoices
	stages  crm.Stages
}

// BenchmarkContactList loads and renders the first page of the contact list
// (50 by name, the total, the filter choices and the stages) as the handler
// does, without HTTP, in three variants in the same run: Rapport as the
// server runs it (filter choices, stages and the capped total from
// crm.Lookups, the page in one statement); the same statements without the
// cache; and the page loaded the way it was before issue 8 — ent eager loads
// of owner, employments and outlets (three queries), the full count and the
// regions from a GROUP BY over every contact. queries/op counts the
// statements of one page.
func BenchmarkContactList(b *testing.B) {
	Dataset(b)
	ctx := context.Background()
	var n atomic.Int64
	d, err := db.Open(ctx, datasetURL(), "", search.Outbox(), func(dr dialect.Driver) dialect.Driver { return countingDriver{dr, &n} })
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	m := views.PageMeta{Title: "Contacts", UserName: "Bench", UserRole: "staff"}
	run := func(load func() (listView, error)) func(b *testing.B) {
		return func(b *testing.B) {
			if _, err := load(); err != nil { // warm: the dialect probe, the cache
				b.Fatal(err)
			}
			var lat latencies
			n.Store(0)
			for b.Loop() {
				lat.time(func() {
					v, err := load()
					if err != nil {
						b.Fatal(err)
					}
					p := pages.ContactsProps{Meta: m, Rows: v.rows, Total: v.total, TotalMore: v.more, Now: time.Now(), Stages: v.stages}
					p.Options.Regions, p.Options.Topics, p.Options.Tags = v.choices.Regions, v.choices.Topics, v.choices.Tags
					if err := pages.Contacts(p).Render(ctx, io.Discard); err != nil {
						b.Fatal(err)
					}
				})
			}
			lat.report(b)
			b.ReportMetric(float64(n.Load())/float64(b.N), "queries/op")
		}
	}
	lookups := crm.NewLookups(d.Client, 0)
	cached, uncached := crm.NewSelections(d.Client, d.Dialect, nil, nil, lookups), crm.NewSelections(d.Client, d.Dialect, nil, nil, nil)
	b.Run("rapport", run(func() (listView, error) {
		page, err := cached.List(ctx, crm.ListParams{})
		if err != nil {
			return listView{}, err
		}
		v := listView{rows: pages.ContactRows(page.Rows, time.Now()), total: page.Total, more: page.More}
		if v.choices, err = lookups.FilterChoices(ctx); err != nil {
			return v, err
		}
		v.stages, err = lookups.Stages(ctx)
		return v, err
	}))
	b.Run("uncached", run(func() (listView, error) {
		page, err := uncached.List(ctx, crm.ListParams{})
		if err != nil {
			return listView{}, err
		}
		v := listView{rows: pages.ContactRows(page.Rows, time.Now()), total: page.Total, more: page.More}
		if v.choices, err = crm.LoadFilterChoices(ctx, d.Client); err != nil {
			return v, err
		}
		v.stages, err = crm.LoadStages(ctx, d.Client)
		return v, err
	}))
	b.Run("before-eager-ent", run(func() (listView, error) {
		rows, total, err := eagerListPage(ctx, d.Client)
		if err != nil {
			return listView{}, err
		}
		v := listView{rows: listRows(rows), total: total}
		if v.choices, err = groupByFilterChoices(ctx, d.Client); err != nil {
			return v, err
		}
		v.stages, err = crm.LoadStages(ctx, d.Client)
		return v, err
	}))
}

// eagerListPage is crm.ListContacts before issue 8: the count, the page and
// ent's eager loads of owner, employments and their outlets. It orders by
// the name sort keys as the list does since issue 12 (the index on the
// names themselves is gone).
func eagerListPage(ctx context.Context, client *ent.Client) ([]*ent.Contact, int, error) {
	total, err := client.Contact.Query().Count(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := client.Contact.Query().Limit(51).WithOwner().WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).
		Order(contact.BySortLast(), contact.BySortFirst(), contact.ByID()).All(ctx)
	if err != nil {
		return nil, 0, err
	}
	return rows[:min(50, len(rows))], total, nil
}

// groupByFilterChoices is crm.LoadFilterChoices before issue 8.
func groupByFilterChoices(ctx context.Context, client *ent.Client) (crm.FilterChoices, error) {
	var fc crm.FilterChoices
	var err error
	if fc.Regions, err = client.Contact.Query().Where(contact.RegionNEQ("")).GroupBy(contact.FieldRegion).Strings(ctx); err != nil {
		return fc, err
	}
	if fc.Topics, err = client.Topic.Query().Order(topic.ByName()).Select(topic.FieldName).Strings(ctx); err != nil {
		return fc, err
	}
	if fc.Tags, err = client.Tag.Query().Order(tag.ByName()).Select(tag.FieldName).Strings(ctx); err != nil {
		return fc, err
	}
	if fc.Owners, err = client.User.Query().Where(user.Active(true)).Order(user.ByName()).All(ctx); err != nil {
		return fc, err
	}
	sort.Strings(fc.Regions)
	return fc, nil
}

// listRows is what handlers.contactRows made of a page before issue 8.
func listRows(cs []*ent.Contact) []pages.ContactRow {
	rows := make([]pages.ContactRow, len(cs))
	for i, ct := range cs {
		r := pages.ContactRow{ID: ct.ID, Name: crm.DisplayName(ct.FirstName, ct.LastName), Kind: string(ct.Kind),
			Title: ct.Title, City: ct.City, Region: ct.Region, Stage: string(ct.Stage), Reach: ct.Reach,
			LastInteraction: ct.LastInteractionAt, DoNotContact: ct.DoNotContact, Health: ct.Health}
		if o := ct.Edges.Owner; o != nil {
			r.Owner = o.Name
		}
		for j, e := range ct.Edges.Employments {
			if j > 0 {
				r.Outlets += ", "
			}
			r.Outlets += e.Edges.Outlet.Name
		}
		rows[i] = r
	}
	return rows
}
