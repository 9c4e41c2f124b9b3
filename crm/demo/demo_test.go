package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
)

// demoTestDBs lists the databases a test runs on; PostgreSQL skips when unreachable.
var demoTestDBs = []struct {
	name string
	open func(*testing.T) *db.DB
}{
	{"sqlite", func(t *testing.T) *db.DB { return dbtest.Open(t, dialect.SQLite, nil) }},
	{"postgres", func(t *testing.T) *db.DB { return dbtest.Open(t, dialect.Postgres, nil) }},
}

// demoSQLite opens a migrated SQLite database in a temporary directory.
func demoSQLite(t *testing.T) *db.DB { return dbtest.Open(t, dialect.SQLite, nil) }

func TestLoad(t *testing.T) {
	for _, tc := range demoTestDBs {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.open(t)
			ctx, c := context.Background(), d.Client
			var calls, done, total int
			st, err := Load(ctx, c, Options{Contacts: 200, Progress: func(d, t int) { calls, done, total = calls+1, d, t }})
			if err != nil {
				t.Fatal(err)
			}
			if st.Contacts != 200 || st.Interactions-st.CampaignInteractions != 2000 || st.CampaignInteractions == 0 || st.Campaigns != 4 || st.Users != 5 || st.Topics != 16 || st.Tags != 8 || st.Outlets < 30 {
				t.Errorf("stats = %+v", st)
			}
			if calls < 2 || done != total || total != 2200 {
				t.Errorf("progress: %d calls, last %d/%d", calls, done, total)
			}
			for _, k := range []struct {
				name  string
				stat  int
				count func(context.Context) (int, error)
			}{
				{"users", st.Users, c.User.Query().Count}, {"outlets", st.Outlets, c.Outlet.Query().Count},
				{"topics", st.Topics, c.Topic.Query().Count}, {"tags", st.Tags, c.Tag.Query().Count},
				{"contacts", st.Contacts, c.Contact.Query().Count}, {"channels", st.Channels, c.SocialProfile.Query().Count},
				{"emails", st.Emails, c.ContactEmail.Query().Count}, {"interactions", st.Interactions, c.Interaction.Query().Count},
			} {
				if n, err := k.count(ctx); err != nil || n != k.stat || n == 0 {
					t.Errorf("%s: %d in the database (%v), %d in the stats", k.name, n, err, k.stat)
				}
			}
			if n := c.Participation.Query().CountX(ctx); n <= st.Interactions {
				t.Errorf("%d participations for %d interactions: none with two contacts", n, st.Interactions)
			}
			checkOwnedAndSettings(t, ctx, c)
			contacts := c.Contact.Query().WithInteractions().WithChannels().Order(ent.Asc(contact.FieldID)).AllX(ctx)
			var nonASCII, dnc, optedOut, silent, busiest int
			for _, ct := range contacts {
				var latest time.Time
				for _, it := range ct.Edges.Interactions {
					if it.OccurredAt.After(latest) {
						latest = it.OccurredAt
					}
				}
				switch {
				case ct.LastInteractionAt == nil && len(ct.Edges.Interactions) > 0,
					ct.LastInteractionAt != nil && !ct.LastInteractionAt.Equal(latest):
					t.Errorf("contact %d: last_interaction_at %v, latest interaction %v", ct.ID, ct.LastInteractionAt, latest)
				}
				var reach int64
				for _, ch := range ct.Edges.Channels {
					reach += ch.Followers
					if crm.NormalizeHandle(string(ch.Platform), ch.Handle) != ch.Handle || ch.URL != crm.ProfileURL(string(ch.Platform), ch.Handle) {
						t.Errorf("channel %s/%s: not normalised or wrong URL %s", ch.Platform, ch.Handle, ch.URL)
					}
				}
				if reach != ct.Reach {
					t.Errorf("contact %d: reach %d, channels sum to %d", ct.ID, ct.Reach, reach)
				}
				if n := len(strings.Fields(ct.Bio)); n < 20 || n > 60 {
					t.Errorf("contact %d: bio of %d words: %s", ct.ID, n, ct.Bio)
				}
				if strings.ContainsFunc(ct.FirstName+ct.LastName, func(r rune) bool { return r > 127 }) {
					nonASCII++
				}
				if ct.DoNotContact {
					dnc++
				}
				if ct.ConsentState == contact.ConsentStateWithdrawn || ct.ConsentState == contact.ConsentStateObjected {
					optedOut++
				}
				if len(ct.Edges.Interactions) == 0 {
					silent++
				}
				busiest = max(busiest, len(ct.Edges.Interactions))
			}
			if nonASCII == 0 || dnc == 0 || optedOut == 0 || silent == 0 || busiest < 40 {
				t.Errorf("%d names with non-ASCII letters, %d do-not-contact, %d withdrawn or objected, %d without and at most %d interactions",
					nonASCII, dnc, optedOut, silent, busiest)
			}
			for _, e := range c.ContactEmail.Query().AllX(ctx) {
				if !crm.ValidEmail(e.Address) || strings.ContainsFunc(e.Address, func(r rune) bool { return r > 127 }) {
					t.Errorf("bad e-mail address %q", e.Address)
				}
			}
			if _, err := crm.Authenticate(ctx, c, "admin@rapport.test", Password); err != nil {
				t.Errorf("log in as the demo admin: %v", err)
			}
		})
	}
}

// demoFingerprint lists each contact's name, primary e-mail, reach and last interaction, in id order.
func demoFingerprint(t *testing.T, seed int64) []string {
	t.Helper()
	ctx, c := context.Background(), demoSQLite(t).Client
	if _, err := Load(ctx, c, Options{Contacts: 150, Interactions: 400, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ct := range c.Contact.Query().WithEmails(func(q *ent.ContactEmailQuery) { q.Where(contactemail.Primary(true)) }).
		Order(ent.Asc(contact.FieldID)).AllX(ctx) {
		out = append(out, fmt.Sprintf("%s|%s|%s|%d|%v", ct.FirstName, ct.LastName, ct.Edges.Emails[0].Address, ct.Reach, ct.LastInteractionAt))
	}
	return out
}

func TestLoadDeterministic(t *testing.T) {
	a, b, other := demoFingerprint(t, 7), demoFingerprint(t, 7), demoFingerprint(t, 8)
	if !slices.Equal(a, b) {
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("same seed, contact %d differs: %s vs %s", i, a[i], b[i])
			}
		}
	}
	if slices.Equal(a, other) {
		t.Error("seeds 7 and 8 gave the same contacts")
	}
}

func TestLoadRefusesNonEmptyDatabase(t *testing.T) {
	ctx, c := context.Background(), demoSQLite(t).Client
	if _, err := Load(ctx, c, Options{Contacts: -1}); crm.ErrorCode(err) != crm.EInvalid {
		t.Errorf("negative size: %v", err)
	}
	own := crm.UserInput{Email: "admin@rapport.test", Name: "Eigene Admina", Role: crm.RoleAdmin, Password: "mein-eigenes-passwort"}
	if _, err := crm.CreateUser(ctx, c, own); err != nil {
		t.Fatal(err)
	}
	st, err := Load(ctx, c, Options{Contacts: 20, Interactions: 30})
	if err != nil {
		t.Fatal(err)
	}
	if n := c.User.Query().CountX(ctx); st.Users != 4 || n != 5 {
		t.Errorf("created %d users, %d in all; want the existing admin reused", st.Users, n)
	}
	if _, err := crm.Authenticate(ctx, c, "admin@rapport.test", "mein-eigenes-passwort"); err != nil {
		t.Errorf("the existing admin's password changed: %v", err)
	}
	_, err = Load(ctx, c, Options{Contacts: 20})
	if crm.ErrorCode(err) != crm.EConflict {
		t.Fatalf("second Load: %v (code %q), want a conflict", err, crm.ErrorCode(err))
	}
	if n := c.Contact.Query().CountX(ctx); n != 20 {
		t.Errorf("%d contacts after the refused load, want 20", n)
	}
}

func TestLoadTiny(t *testing.T) {
	ctx, c := context.Background(), demoSQLite(t).Client
	st, err := Load(ctx, c, Options{Contacts: 1, Interactions: 3, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	if st.Contacts != 1 || st.Interactions != 3 || st.Outlets != 30 {
		t.Errorf("stats = %+v", st)
	}
}

// checkOwnedAndSettings: the demo has owned channels with weekly figures up
// to now, a gap in the region × topic matrix, keyword rules and saved views.
func checkOwnedAndSettings(t *testing.T, ctx context.Context, c *ent.Client) {
	t.Helper()
	owned := c.OwnedChannel.Query().WithTopic().AllX(ctx)
	if len(owned) != len(demoOwnedChannels) {
		t.Errorf("%d owned channels, want %d", len(owned), len(demoOwnedChannels))
	}
	cells := map[string]int{}
	for _, o := range owned {
		if o.BrandID == nil || o.OwnerID == nil || o.Edges.Topic == nil {
			t.Errorf("owned channel %s without client, owner or topic", o.Handle)
			continue
		}
		cells[o.Region+"/"+o.Edges.Topic.Name]++
	}
	if len(cells) != 5 || cells["Hamburg/IT"] != 0 {
		t.Errorf("region × topic cells %v: want five, Hamburg × IT empty", cells)
	}
	snaps := c.FollowerSnapshot.Query().Where(followersnapshot.OwnedChannelIDNotNil()).AllX(ctx)
	if len(snaps) != len(owned)*demoFigureWeeks {
		t.Errorf("%d figures of owned channels, want %d", len(snaps), len(owned)*demoFigureWeeks)
	}
	var latest time.Time
	for _, s := range snaps {
		if s.At.After(latest) {
			latest = s.At
		}
		if s.Engagement == nil || s.Impressions == nil || s.Posts == nil || s.Followers <= 0 {
			t.Errorf("figure %d incomplete: %+v", s.ID, s)
			break
		}
	}
	if now := time.Now(); latest.After(now) || now.Sub(latest) > 8*24*time.Hour {
		t.Errorf("latest owned-channel figure %v, not in the week before %v", latest, now)
	}
	if n := c.KeywordRule.Query().CountX(ctx); n != len(demoKeywordRules) {
		t.Errorf("%d keyword rules, want %d", n, len(demoKeywordRules))
	}
	views := c.SavedView.Query().AllX(ctx)
	shared := 0
	for _, v := range views {
		if v.Shared {
			shared++
		}
	}
	if len(views) != 2 || shared != 1 {
		t.Errorf("%d saved views, %d shared: want 2, 1 shared", len(views), shared)
	}
}
