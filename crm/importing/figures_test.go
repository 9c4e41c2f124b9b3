package importing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
)

// TestFiguresImport: a platform export with German headers; good rows for
// an owned channel (by handle, with platform) and a contact's channel (by
// profile URL) are recorded once through the figures writer; bad dates,
// negative numbers, an unknown channel and a row without a channel are
// errors with their reason, and no row is lost (new + errors = rows).
func TestFiguresImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
		own, err := crm.NewOwnedChannels(d.Client).Save(ctx, 0, crm.OwnedChannelInput{Platform: "x", Handle: "rapport_hh"})
		if err != nil {
			t.Fatal(err)
		}
		w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
		if _, err := w.Create(ctx, crm.ContactInput{FirstName: "Lena", LastName: "Hart", Channels: []crm.ChannelInput{{Platform: "instagram", Handle: "lena.hart"}}}); err != nil {
			t.Fatal(err)
		}
		file := "Datum;Kanal;Plattform;Follower;Interaktionen;Beiträge\n" +
			"01.12.2026;@Rapport_HH;X;12.500;340;4\n" + // 2: ok, owned
			"2026-11-24;https://www.instagram.com/lena.hart/;;2,5k;;\n" + // 3: ok, contact's channel
			"31.02.2026;rapport_hh;x;100;;\n" + // 4: bad date
			"30.11.2026;rapport_hh;x;-5;;\n" + // 5: negative followers
			"30.11.2026;rapport_hh;x;10;-2;\n" + // 6: negative engagement
			"30.11.2026;niemand;x;10;;\n" + // 7: unknown channel
			"30.11.2026;;x;10;;\n" + // 8: no channel
			"30.11.2027;rapport_hh;x;10;;\n" // 9: future
		f, err := importing.ReadFigures("figures.csv", []byte(file))
		if err != nil {
			t.Fatal(err)
		}
		svc := crm.NewChannelFigures(d.Client, func() time.Time { return now })
		plan, err := importing.PlanFigures(ctx, svc, f, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{2: "new", 3: "new", 4: "error: Write the date as 2026-11-30 or 30.11.2026. (31.02.2026)",
			5: "error: Followers are a number, 0 or more. (-5)", 6: "error: A number, 0 or more. (-2)",
			7: "error: No channel of ours or of a contact has this handle. (niemand)", 8: "error: The row names no channel.",
			9: "error: The date is in the future."}
		for _, r := range plan.Rows {
			got := r.Status
			for _, p := range r.Problems {
				got += ": " + p.Message
				if p.Value != "" {
					got += " (" + p.Value + ")"
				}
			}
			if got != want[r.Row] {
				t.Errorf("row %d: %q, want %q", r.Row, got, want[r.Row])
			}
		}
		if plan.New != 2 || plan.Errors != 6 || plan.New+plan.Errors != len(f.Rows) {
			t.Errorf("plan: %d new, %d errors of %d rows; want 2, 6 of 8", plan.New, plan.Errors, len(f.Rows))
		}
		if n := d.Client.FollowerSnapshot.Query().Where(followersnapshot.SourceEQ(followersnapshot.SourceImport)).CountX(ctx); n != 0 {
			t.Fatalf("the dry run wrote %d readings", n)
		}
		n, err := importing.ApplyFigures(ctx, svc, "figures.csv", plan)
		if err != nil || n != 2 {
			t.Fatalf("applied %d, %v; want 2", n, err)
		}
		s := d.Client.FollowerSnapshot.Query().Where(followersnapshot.OwnedChannelID(own.ID)).OnlyX(ctx)
		if s.Followers != 12500 || *s.Engagement != 340 || *s.Posts != 4 || s.Source != followersnapshot.SourceImport || !strings.HasPrefix(s.At.UTC().Format(time.DateOnly), "2026-12-01") {
			t.Errorf("owned channel's reading: %+v", s)
		}
		c := d.Client.FollowerSnapshot.Query().Where(followersnapshot.SocialProfileIDNotNil(), followersnapshot.SourceEQ(followersnapshot.SourceImport)).OnlyX(ctx)
		if c.Followers != 2500 || c.Engagement != nil {
			t.Errorf("contact's channel's reading: %+v", c)
		}
	})
}

// TestGuessFigures: the columns of platform exports, German and English.
func TestGuessFigures(t *testing.T) {
	got := importing.GuessFigures([]string{"Date", "Profile", "Network", "Followers", "Engagements", "Impressions", "Posts", "Other"})
	want := map[string]string{"Date": "date", "Profile": "channel", "Network": "platform", "Followers": "followers",
		"Engagements": "engagement", "Impressions": "impressions", "Posts": "posts", "Other": ""}
	for h, k := range want {
		if got[h] != k {
			t.Errorf("%s → %q, want %q", h, got[h], k)
		}
	}
}
