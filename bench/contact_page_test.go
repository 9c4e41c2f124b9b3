package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/pages"
)

const pageInteractions = 10_000

// contactWithTimeline creates one contact with n interactions on PostgreSQL.
func contactWithTimeline(b *testing.B, n int) (*db.DB, int) {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, dialect.Postgres, nil)
	u, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "bench@example.com", Name: "Bench", Role: "staff", Password: "bench-password-123"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Jürgen", LastName: "Müller",
		Emails: []crm.EmailInput{{Address: "jm@example.de"}}, Topics: []string{"IT", "Gesundheit"}, Tags: []string{"VIP"},
		Channels: []crm.ChannelInput{{Platform: "x", Handle: "jm", Followers: 12000}, {Platform: "youtube", Handle: "jm", Followers: 90000}},
		Outlets:  []crm.OutletRole{{Outlet: "Süddeutsche Zeitung", Role: "Redakteur"}}})
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += 1000 {
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			bulk := make([]*ent.InteractionCreate, 0, 1000)
			for i := done; i < min(n, done+1000); i++ {
				bulk = append(bulk, tx.Interaction.Create().SetType(interaction.TypeEmail).
					SetOccurredAt(base.Add(-time.Duration(i)*time.Hour)).SetSubject(fmt.Sprintf("Pressemitteilung %d", i)).
					SetBody("Hallo Herr Müller, anbei unsere Pressemitteilung zur Messe. Viele Grüße").
					SetAuthorID(u.ID))
			}
			its, err := tx.Interaction.CreateBulk(bulk...).Save(ctx)
			if err != nil {
				return err
			}
			parts := make([]*ent.ParticipationCreate, 0, len(its))
			for _, it := range its {
				parts = append(parts, crm.Participations(tx.Participation, it, c.ID)...)
			}
			return tx.Participation.CreateBulk(parts...).Exec(ctx)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.SQL.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return d, c.ID
}

// BenchmarkContactPage renders the contact page of a person with 10,000
// interactions: Rapport's read model (three queries, a keyset page of 20)
// against the naive peer that eager-loads the contact's whole graph with ent
// and renders the newest 20. Both render the same templ page to io.Discard.
func BenchmarkContactPage(b *testing.B) {
	d, id := contactWithTimeline(b, pageInteractions)
	ctx := context.Background()
	m := views.PageMeta{Title: "Bench", UserName: "Bench", UserRole: "staff"}

	b.Run("rapport", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			lat.time(func() {
				card, err := crm.LoadContactCard(ctx, d.Client, id)
				if err != nil {
					b.Fatal(err)
				}
				tl, err := crm.LoadTimeline(ctx, d.Client, id, "", 20)
				if err != nil {
					b.Fatal(err)
				}
				if err := pages.Contact(pages.ContactProps{Meta: m, Card: card, Timeline: tl, Now: time.Now()}).Render(ctx, io.Discard); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	})

	b.Run("eager-ent", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			lat.time(func() {
				c, err := d.Client.Contact.Query().Where(contact.ID(id)).WithOwner().WithEmails().WithChannels().
					WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).WithTopics().WithTags().
					WithInteractions(func(q *ent.InteractionQuery) { q.WithAuthor() }).Only(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if err := pages.Contact(naiveProps(m, c)).Render(ctx, io.Discard); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
	})
}

// naiveProps builds the page from a fully loaded graph, sorting the whole
// timeline in memory, as code without a read model would.
func naiveProps(m views.PageMeta, c *ent.Contact) pages.ContactProps {
	card := &crm.ContactCard{Contact: c, InteractionCount: len(c.Edges.Interactions)}
	if c.Edges.Owner != nil {
		card.OwnerName = c.Edges.Owner.Name
	}
	for _, e := range c.Edges.Emails {
		card.Emails = append(card.Emails, crm.CardEmail{Address: e.Address, Type: string(e.Type), Primary: e.Primary})
	}
	for _, ch := range c.Edges.Channels {
		card.Channels = append(card.Channels, crm.CardChannel{ID: ch.ID, Platform: string(ch.Platform), Handle: ch.Handle, URL: ch.URL, Followers: ch.Followers})
	}
	for _, e := range c.Edges.Employments {
		card.Outlets = append(card.Outlets, crm.CardOutlet{OutletID: e.OutletID, Name: e.Edges.Outlet.Name, Role: e.Role})
	}
	for _, t := range c.Edges.Topics {
		card.Topics = append(card.Topics, t.Name)
	}
	for _, t := range c.Edges.Tags {
		card.Tags = append(card.Tags, t.Name)
	}
	its := slices.Clone(c.Edges.Interactions)
	slices.SortFunc(its, func(a, b *ent.Interaction) int { return b.OccurredAt.Compare(a.OccurredAt) })
	tl := &crm.Timeline{}
	for _, it := range its[:min(20, len(its))] {
		e := crm.TimelineEntry{ID: it.ID, Type: string(it.Type), Direction: string(it.Direction), Sentiment: string(it.Sentiment),
			Subject: it.Subject, Body: it.Body, OccurredAt: it.OccurredAt}
		if it.Edges.Author != nil {
			e.Author = it.Edges.Author.Name
		}
		tl.Entries = append(tl.Entries, e)
	}
	return pages.ContactProps{Meta: m, Card: card, Timeline: tl, Now: time.Now()}
}
