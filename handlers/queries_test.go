package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// addInteractions bulk-inserts n interactions with contact id, one a minute back from now.
func addInteractions(t testing.TB, c *ent.Client, contactID, authorID, n int) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	for done := 0; done < n; {
		batch := min(1000, n-done)
		err := db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
			bulk := make([]*ent.InteractionCreate, batch)
			for i := range bulk {
				k := done + i
				bulk[i] = tx.Interaction.Create().SetType(interaction.TypeEmail).SetOccurredAt(now.Add(-time.Duration(k) * time.Minute)).
					SetSubject(fmt.Sprintf("Mail %d", k)).SetBody("Hallo, anbei die Pressemitteilung.").SetAuthorID(authorID)
			}
			its, err := tx.Interaction.CreateBulk(bulk...).Save(ctx)
			if err != nil {
				return err
			}
			parts := make([]*ent.ParticipationCreate, 0, len(its))
			for _, it := range its {
				parts = append(parts, crm.Participations(tx.Participation, it, contactID)...)
			}
			return tx.Participation.CreateBulk(parts...).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		done += batch
	}
}

// TestContactPageQueryCount: the contact page costs the same few queries
// whether the contact has one interaction or 10,000 (no N+1).
func TestContactPageQueryCount(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var queries atomic.Int64
			d := dbtest.Open(t, dia, func(drv dialect.Driver) dialect.Driver {
				return dialect.DebugWithContext(drv, func(_ context.Context, v ...any) {
					if !isSessionLookup(v...) {
						queries.Add(1)
					}
				})
			})
			a := newApp(t, d)
			a.user("anna@example.com", "staff")
			b := a.browser()
			b.login("anna@example.com")
			b.get("/contacts/new")
			id := idFrom(t, b.post("/contacts", contactForm()))
			u := a.db.Client.User.Query().FirstX(t.Context())
			var cid int
			fmt.Sscan(id, &cid)

			for _, n := range []int{1, 10_000} {
				addInteractions(t, a.db.Client, cid, u.ID, n-countOf(t, a.db.Client, cid))
				queries.Store(0)
				p := b.get("/contacts/" + id)
				wantStatus(t, p, http.StatusOK)
				if got := p.doc.Find(`[data-testid="timeline-entry"]`).Length(); got != min(n, 20) {
					t.Errorf("%d interactions: %d timeline entries shown", n, got)
				}
				q := queries.Load()
				t.Logf("%s, %d interactions: the contact page issued %d queries", dbtest.Name(dia), n, q)
				// Issue 12 asks for at most 5: the contact, the card's union
				// (with the consent history, colleagues, campaigns, coverage and
				// the timeline's authors) and the timeline page.
				if q > contactPageBudget {
					t.Errorf("%d interactions: contact page issued %d queries, want at most %d", n, q, contactPageBudget)
				}
				next, _ := p.doc.Find(`[data-testid="load-more"]`).Attr("hx-get")
				if n > 20 && next == "" {
					t.Fatalf("%d interactions: no load-more link", n)
				}
				if next != "" {
					queries.Store(0)
					req, _ := http.NewRequest(http.MethodGet, b.base+next, nil)
					req.Header.Set("HX-Request", "true")
					frag := b.do(req)
					wantStatus(t, frag, http.StatusOK)
					if got := frag.doc.Find(`[data-testid="timeline-entry"]`).Length(); got != 20 {
						t.Errorf("load more gave %d entries, want 20", got)
					}
					if first := frag.text(`[data-testid="timeline-entry"] strong`); first == "" {
						t.Error("load more fragment is empty")
					}
					if q := queries.Load(); q > contactPageBudget {
						t.Errorf("load more issued %d queries", q)
					}
				}
			}
		})
	}
}

func countOf(t *testing.T, c *ent.Client, contactID int) int {
	card, err := crm.LoadContactCard(t.Context(), c, contactID)
	if err != nil {
		t.Fatal(err)
	}
	return card.InteractionCount
}

// contactPageBudget is the contact page's statement budget (issue 12); it
// issues 3 today.
const contactPageBudget = 5
