package crm

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/topic"
)

// independentEngaged counts the engaged-or-better contacts of a region and
// topic without the matrix's join and grouping.
const independentEngaged = `
SELECT COUNT(*) FROM contacts c
WHERE c.region = $1 AND c.stage IN ('engaged', 'supporter', 'advocate')
AND EXISTS (SELECT 1 FROM contact_topics x, topics t WHERE x.contact_id = c.id AND t.id = x.topic_id AND t.name = $2)`

// TestChannelMatrix: owned channels land in their region × topic with their
// responsible member and posts of the last 30 days; a cell without a channel
// is a gap with the count of engaged contacts there, equal to an independent
// SQL count in every cell; a region given in another spelling is the place
// table's. Through the team's cache (Lookups) it agrees with a read without
// one; after a write the next matrix is the last one, and once the refresh
// it started ended (Wait) it shows the write.
func TestChannelMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := NewLookups(d.Client, time.Hour)
		w := NewContactWriter(d.Client, d.Dialect, nil, l)
		people := []struct {
			region, stage string
			topics        []string
		}{
			{"Hamburg", "engaged", []string{"Gesundheit"}}, {"Hamburg", "supporter", []string{"Gesundheit", "IT"}},
			{"Hamburg", "aware", []string{"Gesundheit"}}, {"Bayern", "supporter", []string{"IT"}},
			{"Berlin", "engaged", []string{"IT"}}, {"Berlin", "unknown", []string{"Gesundheit"}},
		}
		for i, p := range people {
			if _, err := w.Create(ctx, ContactInput{FirstName: "P", LastName: fmt.Sprint("N", i), Region: p.region, Stage: p.stage, Topics: p.topics}); err != nil {
				t.Fatal(err)
			}
		}
		u := d.Client.User.Create().SetEmail("k@example.com").SetName("Katrin Vogel").SetPasswordHash("x").SaveX(ctx)
		it := d.Client.Topic.Query().Where(topic.Name("IT")).OnlyX(ctx)
		b := d.Client.Brand.Create().SetName("Klinikum").SaveX(ctx)
		svc := NewOwnedChannels(d.Client)
		ch, err := svc.Save(ctx, 0, OwnedChannelInput{BrandID: b.ID, Platform: "x", Handle: "@Rapport_MUC_IT", Region: "Bavaria",
			TopicID: it.ID, OwnerID: u.ID, Purpose: "jobs", Feed: "https://example.com/feed.xml"})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Region != "Bayern" || ch.Handle != "rapport_muc_it" {
			t.Errorf("saved region %q handle %q, want Bayern, rapport_muc_it", ch.Region, ch.Handle)
		}
		if _, err := svc.Save(ctx, 0, OwnedChannelInput{Platform: "x", Handle: "rapport_muc_it"}); ErrorCode(err) != EInvalid {
			t.Errorf("second save of the same account: %v, want a field error", err)
		}
		if _, err := svc.Save(ctx, 0, OwnedChannelInput{Platform: "fax", Handle: ""}); ErrorCode(err) != EInvalid {
			t.Errorf("invalid input: %v, want a field error", err)
		}
		if _, err := svc.Save(ctx, 0, OwnedChannelInput{Platform: "blog", Handle: "unplaced.example"}); err != nil {
			t.Fatal(err)
		}
		f := d.Client.Feed.Query().OnlyX(ctx)
		now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error { // posts are in the outbox's sight
			for i, at := range []time.Time{now.Add(-time.Hour), now.Add(-10 * 24 * time.Hour), now.Add(-40 * 24 * time.Hour)} {
				if err := tx.FeedPost.Create().SetFeedID(f.ID).SetOwnedChannelID(ch.ID).SetKey(fmt.Sprint(i)).SetPublishedAt(at).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		load := func(l *Lookups) *ChannelMatrix {
			t.Helper()
			m, err := LoadChannelMatrix(ctx, d.Client, l, now)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		m := load(l) // cold: read at once
		if g, w := fmt.Sprintf("%+v", m), fmt.Sprintf("%+v", load(nil)); g != w {
			t.Errorf("cached matrix\n %s\nuncached\n %s", g, w)
		}
		if fmt.Sprint(m.Regions) != "[Bayern Berlin Hamburg]" || fmt.Sprint(m.Topics) != "[Gesundheit IT]" {
			t.Errorf("axes %v × %v", m.Regions, m.Topics)
		}
		cell := m.Cell("Bayern", "IT")
		if len(cell.Channels) != 1 || cell.Channels[0].Owner != "Katrin Vogel" || cell.Channels[0].Posts != 2 || cell.Gap() {
			t.Errorf("Bayern × IT = %+v, want the channel run by Katrin Vogel with 2 posts", cell)
		}
		if g := m.Cell("Hamburg", "Gesundheit"); !g.Gap() || g.Engaged != 2 {
			t.Errorf("Hamburg × Gesundheit = %+v, want a gap with 2 engaged contacts", g)
		}
		if len(m.Unplaced) != 1 || m.Unplaced[0].Handle != "unplaced.example" {
			t.Errorf("unplaced = %+v", m.Unplaced)
		}
		for _, r := range m.Regions {
			for _, tp := range m.Topics {
				var want int
				if err := d.SQL.QueryRowContext(ctx, independentEngaged, r, tp).Scan(&want); err != nil {
					t.Fatal(err)
				}
				if got := m.Cell(r, tp).Engaged; got != want {
					t.Errorf("%s × %s: %d engaged, independent count %d", r, tp, got, want)
				}
			}
		}
		if _, err := w.Create(ctx, ContactInput{FirstName: "P", LastName: "Neu", Region: "Hamburg", Stage: "supporter", Topics: []string{"Gesundheit"}}); err != nil {
			t.Fatal(err)
		}
		if g := load(l).Cell("Hamburg", "Gesundheit"); g.Engaged != 2 {
			t.Errorf("right after the write Hamburg × Gesundheit has %d engaged, want the last matrix's 2", g.Engaged)
		}
		l.Wait()
		if g, w := load(l), load(nil); g.Cell("Hamburg", "Gesundheit").Engaged != 3 || fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
			t.Errorf("after the refresh Hamburg × Gesundheit has %d engaged, want 3; cached %+v, uncached %+v",
				g.Cell("Hamburg", "Gesundheit").Engaged, g, w)
		}
		if err := svc.Delete(ctx, ch.ID); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.FeedPost.Query().CountX(ctx); n != 0 {
			t.Errorf("%d posts left after deleting their channel", n)
		}
	})
}
