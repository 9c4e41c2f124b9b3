package crm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestCoverageDuplicateHidesOthersCampaigns: a URL stays unique across
// campaigns, but the refusal (AddCoverage) and the import's duplicate check
// (CoverageTitles) name the piece and its campaign only to a user who may
// see that campaign; a staff user of another team learns only that the piece
// is on record, on both databases.
func TestCoverageDuplicateHidesOthersCampaigns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 0)
		bob, err := CreateUser(f.ctx, d.Client, UserInput{Email: "bob@example.com", Name: "Bob Brandt", Role: "staff", Password: "a long test password"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := f.svc.CreateCampaign(f.ctx, CampaignInput{BrandID: f.c.BrandID, Name: "Winter", StartsAt: time.Now().Add(-48 * time.Hour),
			TeamIDs: []int{bob.ID}})
		if err != nil {
			t.Fatal(err)
		}
		const addr = "https://www.sz.de/a/geheim"
		if _, _, err := f.svc.AddCoverage(f.ctx, CoverageInput{CampaignID: f.c.ID, URL: addr, Title: "Geheimer Titel",
			PublishedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		bobCtx := WithActor(f.ctx, Actor{UserID: bob.ID, Name: bob.Name, Role: "staff"})
		again := CoverageInput{CampaignID: theirs.ID, URL: addr + "/?utm_source=x", Title: "Mein Stück", PublishedAt: time.Now()}

		_, _, err = f.svc.AddCoverage(bobCtx, again)
		msg, _ := UserMessage(err)
		if ErrorCode(err) != EConflict || msg != "This piece is on record already, in a campaign you cannot see." ||
			strings.Contains(err.Error(), "Geheimer") || strings.Contains(err.Error(), "#") {
			t.Errorf("staff of another team: %v (%q), want the conflict without title or campaign", err, msg)
		}
		var e *Error
		if errors.As(err, &e) && e.Fields["url"] != "This address is on record already." {
			t.Errorf("field message %q", e.Fields["url"])
		}

		_, _, err = f.svc.AddCoverage(f.ctx, again) // the manager sees every campaign
		msg, args := UserMessage(err)
		if ErrorCode(err) != EConflict || msg != "Already recorded as “{{.Title}}” (campaign #{{.Campaign}})." ||
			!strings.Contains(err.Error(), "Geheimer Titel") || len(args) != 4 || args[3] != f.c.ID {
			t.Errorf("manager: %v (%q %v), want the title and campaign named", err, msg, args)
		}

		titles, err := f.svc.CoverageTitles(bobCtx, []string{again.URL, "https://elsewhere.example/x"})
		if title, ok := titles[again.URL]; err != nil || !ok || title != "" || len(titles) != 1 {
			t.Errorf("import check for staff of another team: %q %v, want on record without title", titles, err)
		}
		titles, err = f.svc.CoverageTitles(f.ctx, []string{again.URL})
		if err != nil || titles[again.URL] != "Geheimer Titel" {
			t.Errorf("import check for the manager: %q %v", titles, err)
		}
	})
}
