package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/nominationdecision"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// TestContactPageDates: the contact page shows the stored dates of a
// follow-up, a nomination, its evidence and its decision, does not call a
// future follow-up overdue, and draws one follower point per snapshot — on
// both databases (SQLite used to show "1 Jan 0001" for all of them).
func TestContactPageDates(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := t.Context()
		a.user("anna@example.com", "staff")
		id := a.person("Dated", "supporter")
		staff := a.db.Client.User.Query().FirstIDX(ctx)
		// Mid-day times with sub-seconds in a zone east of UTC: the page shows UTC dates.
		berlin := time.FixedZone("CET", 3600)
		day := func(days int) time.Time {
			return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, days).Add(12*time.Hour + 345*time.Millisecond).In(berlin)
		}
		occurred, nominated, decided, due := day(-50), day(-40), day(-30), day(9)
		months := []int{-3, -2, -1}
		err := db.WithTx(ctx, a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
			it, err := tx.Interaction.Create().SetType(interaction.TypeCoverage).SetDirection(interaction.DirectionInbound).
				SetSubject("Launch review").SetOccurredAt(occurred).SetAuthorID(staff).Save(ctx)
			if err != nil {
				return err
			}
			if err := tx.Participation.CreateBulk(crm.Participations(tx.Participation, it, id)...).Exec(ctx); err != nil {
				return err
			}
			n, err := tx.Nomination.Create().SetContactID(id).SetNominatedByID(staff).SetReason("Strong coverage").
				SetStatus(nomination.StatusApproved).SetCreatedAt(nominated).SetDecidedAt(decided).AddEvidenceIDs(it.ID).Save(ctx)
			if err != nil {
				return err
			}
			if err := tx.NominationDecision.Create().SetNominationID(n.ID).SetDecidedByID(staff).
				SetDecision(nominationdecision.DecisionApprove).SetAt(decided).Exec(ctx); err != nil {
				return err
			}
			if err := tx.Task.Create().SetContactID(id).SetAssigneeID(staff).SetTitle("Send the sample").SetDueAt(due).Exec(ctx); err != nil {
				return err
			}
			ch, err := tx.SocialProfile.Create().SetContactID(id).SetPlatform(socialprofile.PlatformInstagram).
				SetHandle("dated").SetFollowers(5000).Save(ctx)
			if err != nil {
				return err
			}
			for k, m := range months {
				if err := tx.FollowerSnapshot.Create().SetSocialProfileID(ch.ID).SetFollowers(int64(4000 + 300*k)).
					SetAt(day(30 * m)).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		b := a.browser()
		b.login("anna@example.com")
		p := b.get(fmt.Sprintf("/contacts/%d", id))
		wantStatus(t, p, http.StatusOK)
		date := func(t time.Time) string { return t.UTC().Format("Jan 2, 2006") } // English: the tests send no Accept-Language
		for _, c := range []struct{ name, sel, want string }{
			{"follow-up due", `[data-testid="contact-task"]`, date(due) + " · Send the sample"},
			{"nominated on", `[data-testid="nomination"]`, "on " + date(nominated)},
			{"evidence", `[data-testid="evidence"]`, date(occurred) + " · Coverage · Launch review"},
			{"decision", `[data-testid="decisions"]`, "on " + date(decided)},
		} {
			if got := strings.Join(strings.Fields(p.text(c.sel)), " "); !strings.Contains(got, c.want) {
				t.Errorf("%s: %q lacks %q", c.name, got, c.want)
			}
		}
		if strings.Contains(p.text("main"), "0001") {
			t.Error(`the page shows a zero date ("0001")`)
		}
		if strings.Contains(p.text(`[data-testid="contact-task"]`), "overdue") {
			t.Errorf("a follow-up due %s is marked overdue", date(due))
		}
		// Three snapshots and today's count: four points at four places.
		pts, _ := p.doc.Find(`[data-testid="chart-followers"] polyline`).Attr("points")
		xs := map[string]bool{}
		for _, xy := range strings.Fields(pts) {
			xs[strings.Split(xy, ",")[0]] = true
		}
		if len(xs) != len(months)+1 {
			t.Errorf("follower chart has %d distinct points (%q), want %d", len(xs), pts, len(months)+1)
		}
	})
}
