package crm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/interaction"
)

func TestNormalizeURL(t *testing.T) {
	for _, tc := range []struct{ name, a, b string }{
		{"ok_tracking", "https://www.SZ.de/a/b/?utm_source=x&utm_medium=y&id=3#top", "https://sz.de/a/b?id=3"},
		{"ok_fbclid_order", "http://sz.de/a?b=2&a=1&fbclid=zz", "https://sz.de/a?a=1&b=2"},
		{"ok_default_port", "https://sz.de:443/a", "https://sz.de/a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ka, err := NormalizeURL(tc.a)
			kb, err2 := NormalizeURL(tc.b)
			if err != nil || err2 != nil || ka != kb {
				t.Errorf("%q → %q, %q → %q (%v %v)", tc.a, ka, tc.b, kb, err, err2)
			}
		})
	}
	for _, bad := range []string{"javascript:alert(1)", "ftp://x.de/a", "sz.de/a", ""} {
		if _, err := NormalizeURL(bad); err == nil {
			t.Errorf("err_bad_url: %q accepted", bad)
		}
	}
}

func TestParsePageMeta(t *testing.T) {
	m, err := ParsePageMeta(strings.NewReader(`<html><head><title> Plain </title><meta name="date" content="2026-10-02">
		<meta property="og:site_name" content="Abendzeitung"></head><body><meta property="og:title" content="too late"></body></html>`))
	if err != nil || m.Title != "Plain" || m.SiteName != "Abendzeitung" || m.Published.Format("2006-01-02") != "2026-10-02" {
		t.Errorf("meta %+v %v", m, err)
	}
}

// TestFetcherRefusesPrivateAddresses: the loopback test server is refused
// unless the admin setting allows private addresses; a slow page times out.
func TestFetcherRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(FetchTimeout + time.Second)
		}
		fmt.Fprint(w, `<title>Lokal</title>`)
	}))
	defer srv.Close()
	if _, err := NewPageFetcher(false)(context.Background(), srv.URL+"/a"); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("loopback without the setting: %v, want ErrPrivateAddress", err)
	}
	m, err := NewPageFetcher(true)(context.Background(), srv.URL+"/a")
	if err != nil || m.Title != "Lokal" {
		t.Errorf("loopback with the setting: %+v %v", m, err)
	}
	start := time.Now()
	if _, err := NewPageFetcher(true)(context.Background(), srv.URL+"/slow"); err == nil || time.Since(start) > FetchTimeout+2*time.Second {
		t.Errorf("slow page: %v after %s", err, time.Since(start))
	}
}

func TestPitchLine(t *testing.T) {
	now := time.Now()
	last := now.Add(-24 * time.Hour)
	for _, tc := range []struct {
		name    string
		in      HealthInput
		text    string
		points  int
		present bool
	}{
		{"no_pitches", HealthInput{Recent: 2}, "", 0, false},
		{"four_without_reply", HealthInput{Recent: 4, Pitches: 4}, "pitched 4 times in 90 days, no reply", -15, true},
		{"many_capped", HealthInput{Recent: 9, Pitches: 9}, "pitched 9 times in 90 days, no reply", -20, true},
		{"replied", HealthInput{Recent: 3, Pitches: 2, Inbound: 1, Inbound90: 1}, "pitched 2 times in 90 days, replied", 5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.CadenceDays, tc.in.LastTouch = 30, &last
			r := ComputeHealth(tc.in, now)
			found := false
			for _, l := range r.Lines {
				if strings.HasPrefix(l.Text, "pitched") {
					found = true
					if l.Text != tc.text || l.Points != tc.points {
						t.Errorf("line %q %d, want %q %d", l.Text, l.Points, tc.text, tc.points)
					}
				}
			}
			if found != tc.present {
				t.Errorf("pitch line present %v, want %v: %+v", found, tc.present, r.Lines)
			}
		})
	}
}

// TestEmbargoAndHealth: a pitch before the embargo lifts carries it on the
// interaction and in the target export; repeated pitches without a reply
// lower the stored health and the card says why.
func TestEmbargoAndHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 3)
		until := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
		c, err := f.svc.CreateCampaign(f.ctx, CampaignInput{BrandID: f.c.BrandID, Name: "Vorsorge-App", StartsAt: time.Now(), EmbargoUntil: &until})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddTargets(f.ctx, c.ID, f.ids); err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.Pitch(f.ctx, c.ID, PitchInput{})
		if err != nil || !r.Embargoed {
			t.Fatalf("pitch %+v %v", r, err)
		}
		it := d.Client.Interaction.Query().Where(interaction.CampaignID(c.ID), interaction.TypeEQ(interaction.TypePitch)).OnlyX(f.ctx)
		if it.EmbargoUntil == nil || !it.EmbargoUntil.Equal(until) {
			t.Errorf("interaction embargo %v, want %v", it.EmbargoUntil, until)
		}
		tab, err := f.svc.TargetsTable(f.ctx, c.ID)
		if err != nil || len(tab.Rows) != 3 || !strings.HasPrefix(tab.Rows[0][8], until.Format("2006-01-02 15:04")) {
			t.Errorf("export embargo: %v %v", tab.Rows, err)
		}
		before := d.Client.Contact.GetX(f.ctx, f.ids[0]).Health
		for k := range 3 { // three more campaigns pitch the same people, nobody answers
			c2, err := f.svc.CreateCampaign(f.ctx, CampaignInput{BrandID: f.c.BrandID, Name: fmt.Sprint("Nachfass ", k), StartsAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.AddTargets(f.ctx, c2.ID, f.ids); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Pitch(f.ctx, c2.ID, PitchInput{}); err != nil {
				t.Fatal(err)
			}
		}
		after := d.Client.Contact.GetX(f.ctx, f.ids[0]).Health
		card, err := LoadContactCard(f.ctx, d.Client, f.ids[0])
		if err != nil {
			t.Fatal(err)
		}
		said := false
		for _, l := range card.Health.Lines {
			said = said || l.Text == "pitched 4 times in 90 days, no reply"
		}
		if !said || after >= before+10 {
			t.Errorf("health %d → %d, lines %+v", before, after, card.Health.Lines)
		}
	})
}
