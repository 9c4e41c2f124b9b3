package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOwnedChannelPages: a manager records a channel (the form's errors keep
// the typed values), the list and the matrix show it with its responsible
// member, edits and deletes it; staff see the list and the matrix only.
func TestOwnedChannelPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("m@example.com", "manager")
		a.user("s@example.com", "staff")
		ctx := t.Context()
		it := a.db.Client.Topic.Create().SetName("IT").SaveX(ctx)
		mgr := a.db.Client.User.Query().FirstX(ctx)
		b := a.browser()
		b.login("m@example.com")
		b.get("/channels/new")
		bad := b.post("/channels", url.Values{"platform": {"x"}, "handle": {""}, "region": {"Hamburg"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if v, _ := bad.doc.Find(`input[name="region"]`).Attr("value"); v != "Hamburg" {
			t.Errorf("the form lost the region: %q", v)
		}
		form := url.Values{"platform": {"mastodon"}, "handle": {"@news@social.example"}, "region": {"Hamburg"},
			"topic": {fmt.Sprint(it.ID)}, "owner": {fmt.Sprint(mgr.ID)}, "purpose": {"news"}, "language": {"de"}}
		wantStatus(t, b.post("/channels", form), http.StatusSeeOther)
		list := b.get("/channels")
		if got := list.text(`[data-testid="owned-channel"] [data-testid="channel-owner"]`); got != "Test manager" {
			t.Errorf("responsible = %q, want Test manager", got)
		}
		id, _ := list.doc.Find(`[data-testid="owned-channel"]`).Attr("data-id")
		m := b.get("/channels/matrix")
		cell := m.doc.Find(`[data-testid="matrix-cell"][data-region="Hamburg"][data-topic="IT"]`)
		if cell.AttrOr("data-channels", "") != "1" || !strings.Contains(cell.Text(), "(Test manager)") {
			t.Errorf("matrix cell Hamburg × IT = %q", cell.Text())
		}
		form.Set("region", "Berlin")
		b.get("/channels/" + id + "/edit")
		wantStatus(t, b.post("/channels/"+id, form), http.StatusSeeOther)
		m = b.get("/channels/matrix")
		if n := m.doc.Find(`[data-testid="matrix-cell"][data-region="Berlin"][data-topic="IT"]`).AttrOr("data-channels", ""); n != "1" {
			t.Errorf("after the edit Berlin × IT has %q channels", n)
		}

		s := a.browser()
		s.login("s@example.com")
		wantStatus(t, s.get("/channels"), http.StatusOK)
		sm := s.getIn("/channels/matrix", "de")
		wantStatus(t, sm, http.StatusOK)
		link := sm.doc.Find(`[data-testid="matrix-channel"] a`)
		if href := link.AttrOr("href", ""); href != "/channels/"+id+"/figures" {
			t.Errorf("staff's matrix links the channel to %q, want its figures", href)
		} else {
			wantStatus(t, s.get(href), http.StatusOK)
		}
		if got := link.Text(); got != "Mastodon news@social.example" {
			t.Errorf("the link reads %q", got)
		}
		if href := m.doc.Find(`[data-testid="matrix-channel"] a`).AttrOr("href", ""); href != "/channels/"+id+"/edit" {
			t.Errorf("a manager's matrix links the channel to %q, want its form", href)
		}
		wantStatus(t, s.post("/channels/"+id+"/delete", url.Values{}), http.StatusForbidden)
		if s.get("/channels").doc.Find(`[data-testid="delete-channel"]`).Length() != 0 {
			t.Error("staff see a delete button")
		}

		b.get("/channels")
		wantStatus(t, b.post("/channels/"+id+"/delete", url.Values{}), http.StatusSeeOther)
		if n := a.db.Client.OwnedChannel.Query().CountX(ctx); n != 0 {
			t.Errorf("%d channels after the delete", n)
		}
	})
}

// TestFeedsAdminPage: an admin sees each feed's error and failures, and
// "check now" makes it due (303 back to the list).
func TestFeedsAdminPage(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		ctx := t.Context()
		a.db.Client.OwnedChannel.Create().SetPlatform("blog").SetHandle("b.example").ExecX(ctx)
		ch := a.db.Client.OwnedChannel.Query().OnlyX(ctx)
		later := time.Now().Add(48 * time.Hour)
		f := a.db.Client.Feed.Create().SetURL("https://b.example/feed").SetOwnedChannelID(ch.ID).SetNextPollAt(later).
			SetLeaseUntil(time.Unix(0, 0)).SetLastError("The feed is larger than 5 MB.").SetFailures(3).SaveX(ctx)
		b := a.browser()
		b.login("admin@example.com")
		p := b.get("/settings/feeds")
		if got := p.text(`[data-testid="feed-error"]`); got != "The feed is larger than 5 MB. (3×)" {
			t.Errorf("error cell %q", got)
		}
		wantStatus(t, b.post(fmt.Sprintf("/settings/feeds/%d/check", f.ID), url.Values{}), http.StatusSeeOther)
		if next := a.db.Client.Feed.GetX(ctx, f.ID).NextPollAt; !next.Before(later.Add(-24 * time.Hour)) {
			t.Errorf("next poll %v after check now", next)
		}
	})
}
