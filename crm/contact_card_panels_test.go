package crm

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/consentevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestCardPanelsAgreeWithEnt: the panels the card's union reads (consent
// history, colleagues, campaigns, coverage, the timeline's authors) are
// what separate ent queries read (the panels' statements before issue 12
// folded them into the card), for a manager, a staff member on some of the
// campaigns and a staff member on none; the access report's campaign data
// and the consent history, which run the same branches alone, agree too.
func TestCardPanelsAgreeWithEnt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 6)
		ctx, c, ids := context.Background(), d.Client, f.ids
		w := db.SelfRecorded(ctx) // the fixture's rows, written directly
		anna := c.User.Create().SetEmail("anna@example.com").SetName("anna Ärger").SetRole(user.RoleStaff).SetPasswordHash("x").SaveX(ctx)
		c.User.Create().SetEmail("old@example.com").SetName("Alt Gedient").SetRole(user.RoleStaff).SetPasswordHash("x").SetActive(false).SaveX(ctx)
		c.User.Create().SetEmail("bert@example.com").SetName("Bert Zander").SetRole(user.RoleStaff).SetPasswordHash("x").SaveX(ctx)
		names := []string{"Ole", "Redaktion", "Zoë", "Ähre", "Bea", "Aal", "Carl", "Ähre", "Dora", "Weit", "Eva", "Fern"}
		for i, id := range ids {
			c.Contact.UpdateOneID(id).SetFirstName(names[2*i]).SetLastName(names[2*i+1]).
				SetSortLast(sortkey.Key(names[2*i+1])).SetSortFirst(sortkey.Key(names[2*i])).ExecX(w)
		}
		sz := c.Outlet.Create().SetName("Süddeutsche").SetType(outlet.TypeNewspaper).SaveX(ctx)
		br := c.Outlet.Create().SetName("BR").SetType(outlet.TypeRadio).SaveX(ctx)
		for _, job := range [][2]int{{ids[0], sz.ID}, {ids[0], br.ID}, {ids[1], sz.ID}, {ids[2], sz.ID}, {ids[2], br.ID}, {ids[3], br.ID}} {
			c.Employment.Create().SetContactID(job[0]).SetOutletID(job[1]).ExecX(w)
		}
		at := time.Date(2026, 3, 4, 10, 11, 12, 345678000, time.UTC)
		notice := at.Add(24 * time.Hour)
		c.ConsentEvent.Create().SetContactID(ids[0]).SetAt(at).SetActorID(anna.ID).SetActorName("anna Ärger").SetChanged([]string{"consent_state", "lawful_basis"}).
			SetLawfulBasis(consentevent.LawfulBasisConsent).SetConsentState(consentevent.ConsentStateGiven).SetDoNotContact(false).SetSource("Messe").
			SetEvidence("https://example.com/optin").SetWordingVersion("v3").SetNoticeAt(notice).SetNoticeMethod("E-Mail").ExecX(w)
		c.ConsentEvent.Create().SetContactID(ids[0]).SetAt(at).SetLawfulBasis(consentevent.LawfulBasisConsent).
			SetConsentState(consentevent.ConsentStateWithdrawn).SetDoNotContact(true).SetReason("Bat um Ruhe").ExecX(w)
		c.ConsentEvent.Create().SetContactID(ids[0]).SetAt(at.Add(-time.Hour)).SetLawfulBasis(consentevent.LawfulBasisNone).
			SetConsentState(consentevent.ConsentStateNone).SetDoNotContact(false).ExecX(w)

		// The fixture's campaign (Lena's), Anna's own, Bert's with Anna on the team, and Bert's alone.
		own := c.Campaign.Create().SetName("Annas Frühling").SetBrandID(f.c.BrandID).SetStartsAt(at).SetOwnerID(anna.ID).SaveX(ctx)
		team := c.Campaign.Create().SetName("Team Sommer").SetBrandID(f.c.BrandID).SetStartsAt(at).SetOwnerID(f.user).SaveX(ctx)
		c.CampaignMember.Create().SetCampaignID(team.ID).SetUserID(anna.ID).ExecX(ctx)
		alone := c.Campaign.Create().SetName("Geheim").SetBrandID(f.c.BrandID).SetStartsAt(at).SaveX(ctx)
		for k, cp := range []int{f.c.ID, own.ID, team.ID, alone.ID} {
			tc := c.CampaignTarget.Create().SetCampaignID(cp).SetContactID(ids[0]).SetAddedAt(at.Add(time.Duration(k%2) * time.Minute)).SetStatusAt(at).
				SetStatus(campaigntarget.StatusPitched).SetPitchCount(k)
			if k > 0 {
				tc.SetPitchedAt(at.Add(time.Duration(k) * time.Hour))
			}
			if k == 2 {
				tc.SetRepliedAt(at.Add(5 * time.Hour)).SetStatus(campaigntarget.StatusReplied)
			}
			tc.ExecX(w)
			ci := c.CoverageItem.Create().SetCampaignID(cp).SetTitle(fmt.Sprintf("Bericht %d", k)).SetURL(fmt.Sprintf("https://example.com/%d", k)).
				SetOutletName("Süddeutsche").SetPublishedAt(at.Add(time.Duration(k%3) * time.Hour)).SetKind(coverageitem.KindBroadcast).
				SetSentiment(coverageitem.SentimentPositive)
			if k != 1 {
				ci.SetReach(int64(1000 * k))
			}
			item := ci.SaveX(ctx)
			c.CoverageAuthor.Create().SetCoverageItemID(item.ID).SetContactID(ids[0]).ExecX(w)
			c.CoverageAuthor.Create().SetCoverageItemID(item.ID).SetContactID(ids[1]).ExecX(w)
		}

		wantAuthors, err := c.User.Query().Where(user.Active(true)).Order(ent.Asc(user.FieldName), ent.Asc(user.FieldID)).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []Actor{{UserID: f.user, Role: RoleManager}, {UserID: anna.ID, Role: RoleStaff}, {UserID: 99999, Role: RoleStaff}} {
			for _, id := range ids[:4] {
				card, err := LoadContactCard(WithActor(ctx, a), c, id)
				if err != nil {
					t.Fatal(err)
				}
				label := fmt.Sprintf("contact %d, user %d", id, a.UserID)
				wantConsent, wantColleagues, wantCampaigns := entPanels(t, c, id, visible(a))
				if got, want := consentRows(card.Consent), consentRows(wantConsent); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: consent\n got %v\nwant %v", label, got, want)
				}
				if !reflect.DeepEqual(card.Colleagues, wantColleagues) {
					t.Errorf("%s: colleagues %v, want %v", label, card.Colleagues, wantColleagues)
				}
				if got, want := campaignRows(card.Campaigns), campaignRows(wantCampaigns); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: campaigns\n got %v\nwant %v", label, got, want)
				}
				var authors []string
				for _, u := range card.Authors {
					authors = append(authors, fmt.Sprint(u.ID, u.Name))
				}
				var want []string
				for _, u := range wantAuthors {
					want = append(want, fmt.Sprint(u.ID, u.Name))
				}
				if !reflect.DeepEqual(authors, want) {
					t.Errorf("%s: authors %v, want %v", label, authors, want)
				}
			}
		}
		// Spot checks, so that the comparison is not of two empty panels.
		card, _ := LoadContactCard(WithActor(ctx, Actor{UserID: anna.ID, Role: RoleStaff}), c, ids[0])
		if len(card.Consent) != 3 || card.Consent[1].NoticeMethod != "E-Mail" || card.Consent[2].Reason != "Bat um Ruhe" {
			t.Errorf("consent %v", consentRows(card.Consent))
		}
		if fmt.Sprint(card.Colleagues) != fmt.Sprintf("[{%d Bea Aal} {%d Carl Ähre} {%d Zoë Ähre}]", ids[2], ids[3], ids[1]) {
			t.Errorf("colleagues %v", card.Colleagues)
		}
		if len(card.Campaigns.Pitches) != 2 || len(card.Campaigns.Coverage) != 2 {
			t.Errorf("Anna sees %v", campaignRows(card.Campaigns))
		}
		all, err := CampaignDataOfContact(ctx, c, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, _, want := entPanels(t, c, ids[0], campaign.IDGT(0)); !reflect.DeepEqual(campaignRows(all), campaignRows(want)) || len(all.Pitches) != 4 {
			t.Errorf("access report's campaigns\n got %v\nwant %v", campaignRows(all), campaignRows(want))
		}
		evs, err := ConsentHistory(ctx, c, ids[0])
		if err != nil || !reflect.DeepEqual(consentRows(evs), consentRows(card.Consent)) {
			t.Errorf("consent history %v (%v), want the card's", consentRows(evs), err)
		}
	})
}

// entPanels reads the panels with ent, the way the contact page did before
// they were branches of the card's union.
func entPanels(t *testing.T, c *ent.Client, id int, vis predicate.Campaign) ([]*ent.ConsentEvent, []ContactRef, *ContactCampaigns) {
	t.Helper()
	ctx := context.Background()
	evs := c.ConsentEvent.Query().Where(consentevent.ContactID(id)).Order(consentevent.ByAt(), consentevent.ByID()).Limit(1000).AllX(ctx)
	cs := c.Contact.Query().Where(contact.IDNEQ(id), contact.HasEmploymentsWith(employment.HasOutletWith(outlet.HasEmploymentsWith(employment.ContactID(id))))).
		Order(ent.Asc(contact.FieldSortLast), ent.Asc(contact.FieldSortFirst), ent.Asc(contact.FieldID)).Limit(ColleagueLimit).AllX(ctx)
	var refs []ContactRef
	for _, k := range cs {
		refs = append(refs, ContactRef{ID: k.ID, Name: DisplayName(k.FirstName, k.LastName)})
	}
	if refs == nil {
		refs = []ContactRef{}
	}
	out := &ContactCampaigns{}
	ts := c.CampaignTarget.Query().Where(campaigntarget.ContactID(id), campaigntarget.HasCampaignWith(vis)).
		WithCampaign(func(q *ent.CampaignQuery) { q.WithBrand() }).Order(ent.Desc(campaigntarget.FieldAddedAt), ent.Desc(campaigntarget.FieldID)).Limit(500).AllX(ctx)
	for _, t := range ts {
		out.Pitches = append(out.Pitches, ContactPitch{CampaignID: t.CampaignID, Status: string(t.Status), Source: string(t.Source), AddedAt: t.AddedAt,
			PitchedAt: t.PitchedAt, RepliedAt: t.RepliedAt, PitchCount: t.PitchCount, Campaign: t.Edges.Campaign.Name, Client: t.Edges.Campaign.Edges.Brand.Name})
	}
	items := c.CoverageItem.Query().Where(coverageitem.HasAuthorsWith(coverageauthor.ContactID(id)), coverageitem.HasCampaignWith(vis)).
		WithCampaign().Order(ent.Desc(coverageitem.FieldPublishedAt), ent.Desc(coverageitem.FieldID)).Limit(500).AllX(ctx)
	for _, it := range items {
		out.Coverage = append(out.Coverage, ContactCoverage{ID: it.ID, CampaignID: it.CampaignID, Title: it.Title, URL: it.URL, Outlet: it.OutletName,
			Kind: string(it.Kind), Sentiment: string(it.Sentiment), PublishedAt: it.PublishedAt, Reach: it.Reach, Campaign: it.Edges.Campaign.Name})
	}
	return evs, refs, out
}

func tText(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func consentRows(evs []*ent.ConsentEvent) []string {
	var out []string
	for _, e := range evs {
		actor := 0
		if e.ActorID != nil {
			actor = *e.ActorID
		}
		out = append(out, fmt.Sprintf("%d %s %d %q %v %s %s %v %q %q %q %q %s %q", e.ID, tText(&e.At), actor, e.ActorName, e.Changed, e.LawfulBasis,
			e.ConsentState, e.DoNotContact, e.Source, e.Evidence, e.WordingVersion, e.Reason, tText(e.NoticeAt), e.NoticeMethod))
	}
	return out
}

func campaignRows(cs *ContactCampaigns) []string {
	var out []string
	for _, p := range cs.Pitches {
		out = append(out, fmt.Sprintf("pitch %d %q %q %s %s %s %s %s %d", p.CampaignID, p.Campaign, p.Client, p.Status, p.Source,
			tText(&p.AddedAt), tText(p.PitchedAt), tText(p.RepliedAt), p.PitchCount))
	}
	for _, c := range cs.Coverage {
		reach := "-"
		if c.Reach != nil {
			reach = fmt.Sprint(*c.Reach)
		}
		out = append(out, fmt.Sprintf("coverage %d %d %q %q %q %q %s %s %s %s", c.ID, c.CampaignID, c.Campaign, c.Title, c.URL, c.Outlet,
			c.Kind, c.Sentiment, tText(&c.PublishedAt), reach))
	}
	return out
}
