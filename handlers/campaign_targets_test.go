package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/user"
)

// namedPeople creates n contacts "Anna Ziel0000" … whose name order is the
// reverse of their ids' (the list's order is the names', not the rows').
func namedPeople(t *testing.T, d *db.DB, n int) []int {
	t.Helper()
	var ids []int
	err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		bulk := make([]*ent.ContactCreate, n)
		for i := range bulk {
			last := fmt.Sprintf("Ziel%04d", n-1-i)
			bulk[i] = tx.Contact.Create().SetFirstName("Anna").SetLastName(last)
			crm.SetSortKeys(bulk[i].Mutation(), "Anna", last)
		}
		cs, err := tx.Contact.CreateBulk(bulk...).Save(ctx)
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// targetRows are a page's target rows: contact ids and names in page order.
func targetRows(t *testing.T, p page) ([]int, []string) {
	t.Helper()
	var ids []int
	var names []string
	p.doc.Find(`[data-testid="target-row"] td a`).Each(func(_ int, a *goquery.Selection) {
		id, err := strconv.Atoi(strings.TrimPrefix(a.AttrOr("href", ""), "/contacts/"))
		if err != nil {
			t.Fatalf("row link %q", a.AttrOr("href", ""))
		}
		ids, names = append(ids, id), append(names, strings.TrimSpace(a.Text()))
	})
	return ids, names
}

// TestCampaignTargetPages: the campaign page lists its 1,020 targets 500 a
// page in name order with plain links to the next and the first page (the
// contact list's cursor, no JavaScript), which together hold exactly the
// resolver's members in its order; a status filter pages within its status;
// the counts and "Showing … of …" are in the reader's language.
func TestCampaignTargetPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("mia@example.com", "manager")
		ctx := t.Context()
		ids := namedPeople(t, a.db, 1020)
		mia := a.browser()
		mia.login("mia@example.com")
		wantStatus(t, mia.post("/clients", url.Values{"name": {"Bergwerk Outdoor GmbH"}}), http.StatusSeeOther)
		wantStatus(t, mia.post("/campaigns", url.Values{"brand": {fmt.Sprint(a.db.Client.Brand.Query().OnlyIDX(ctx))},
			"name": {"Herbst am Berg"}, "starts_at": {"2026-11-01"}}), http.StatusSeeOther)
		cid := a.db.Client.Campaign.Query().Where(campaign.Name("Herbst am Berg")).OnlyIDX(ctx)
		u := a.db.Client.User.Query().Where(user.Email("mia@example.com")).OnlyX(ctx)
		actx := crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
		sels := crm.NewSelections(a.db.Client, a.db.Dialect, nil, nil, nil)
		if _, err := crm.NewCampaigns(a.db.Client, a.db.Dialect, sels, nil).AddTargets(actx, cid, ids); err != nil {
			t.Fatal(err)
		}
		declined := []int{ids[0], ids[9], ids[500], ids[501], ids[777], ids[1000], ids[1019]}
		a.db.Client.CampaignTarget.Update().Where(campaigntarget.CampaignID(cid), campaigntarget.ContactIDIn(declined...)).
			SetStatus(campaigntarget.StatusDeclined).ExecX(ctx)
		base := fmt.Sprintf("/campaigns/%d", cid)

		walk := func(st string, wantPages int) {
			t.Helper()
			res, err := sels.Resolve(actx, crm.TargetSelection(cid, st), false)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			path, pages := base, 0
			if st != "" {
				path += "?status=" + st
			}
			for path != "" {
				p := mia.get(path)
				wantStatus(t, p, http.StatusOK)
				pages++
				pids, names := targetRows(t, p)
				for i, id := range pids {
					if want := "Anna " + fmt.Sprintf("Ziel%04d", 1019-slices.Index(ids, id)); names[i] != want {
						t.Fatalf("status %q page %d: row %d named %q, want %q", st, pages, i, names[i], want)
					}
				}
				got = append(got, pids...)
				next := p.doc.Find(`a[data-testid="next-page"]`).AttrOr("href", "")
				first := p.doc.Find(`.pager a:not([rel])`).AttrOr("href", "")
				if (pages > 1) != (first != "") || (first != "" && first != base+statusQuery(st)+"#targets") {
					t.Errorf("status %q page %d: first-page link %q", st, pages, first)
				}
				if next != "" && (!strings.HasSuffix(next, "#targets") || !strings.Contains(next, "after=") ||
					(st != "" && !strings.Contains(next, "status="+st))) {
					t.Errorf("status %q page %d: next link %q", st, pages, next)
				}
				if next != "" && len(pids) != 500 {
					t.Errorf("status %q page %d: %d rows before the last page", st, pages, len(pids))
				}
				path, _, _ = strings.Cut(next, "#")
			}
			if pages != wantPages || !slices.Equal(got, res.All) {
				t.Errorf("status %q: %d pages, %d rows; the resolver %d in order: %v", st, pages, len(got), len(res.All), slices.Equal(got, res.All))
			}
		}
		walk("", 3)
		walk("planned", 3)
		walk("declined", 1)

		// the counts over the whole list, in the reader's language
		for lang, want := range map[string][3]string{
			"en": {"Planned: 1,013", "Declined: 7", "Showing 500 of 1,020; filter by status to narrow."},
			"de": {"Geplant: 1.013", "Abgelehnt: 7", "Angezeigt: 500 von 1.020; nach Status filtern, um einzugrenzen."},
		} {
			p := mia.getIn(base, lang)
			got := [3]string{p.text(`[data-testid="count-planned"]`), p.text(`[data-testid="count-declined"]`),
				strings.Join(strings.Fields(p.text(`[data-testid="targets-shown"]`)), " ")}
			if got != want {
				t.Errorf("%s: %q, want %q", lang, got, want)
			}
		}
		if p := mia.get(base + "?status=declined"); p.doc.Find(`[data-testid="targets-shown"], .pager`).Length() != 0 {
			t.Error("one page of seven shows a pager")
		}
	})
}

func statusQuery(st string) string {
	if st == "" {
		return ""
	}
	return "?status=" + st
}
