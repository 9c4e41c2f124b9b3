package search_test

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// TestDocumentHasEveryField: the document of a contact with every field and
// relation set has every field of search.Document filled from the database,
// with the stored values, whether built by id (the change feed) or in the
// full load (a rebuild); and every facet of the index counts it.
func TestDocumentHasEveryField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager, Name: "M"})
		owner, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "o@example.com", Name: "Olga Owner", Role: crm.RoleStaff, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		met, err := crm.CreateCustomField(ctx, d.Client, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldText, LabelEN: "How we met", LabelDE: "Kennengelernt"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{Kind: "blogger", FirstName: "Jürgen", LastName: "Müller",
			Custom: map[string]any{met.Key: "Messe Köln"},
			Title:  "Chefredakteur", Bio: "Schreibt über Wärmepumpen.", City: "Köln", Region: "Nordrhein-Westfalen", Country: "DE",
			Stage: "supporter", OwnerID: &owner.ID,
			Emails:   []crm.EmailInput{{Address: "jm@example.de"}, {Address: "juergen@privat.example"}},
			Channels: []crm.ChannelInput{{Platform: "instagram", Handle: "jmueller", Followers: 1200}, {Platform: "youtube", Handle: "jmtv", Followers: 300}},
			Outlets:  []crm.OutletRole{{Outlet: "Kölner Stadt-Anzeiger", Role: "Redakteur"}, {Outlet: "WDR"}},
			Topics:   []string{"Energie", "Bauen"}, Tags: []string{"VIP", "Messe"}})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)
		body := strings.Repeat("ä", search.MaxNoteText+50) // cut to MaxNoteText characters, not bytes
		if _, err := crm.LogInteraction(ctx, d.Client, owner.ID, crm.InteractionInput{ContactIDs: []int{c.ID}, Type: "call",
			OccurredAt: at, Subject: "Wärmepumpen-Test", Body: body}); err != nil {
			t.Fatal(err)
		}
		published := time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			b := tx.Brand.Create().SetName("Bergwerk").SaveX(ctx)
			cp := tx.Campaign.Create().SetBrandID(b.ID).SetName("Herbst").SetStartsAt(published).SaveX(ctx)
			it := tx.CoverageItem.Create().SetCampaignID(cp.ID).SetTitle("Wärmepumpen im Altbau").SetOutletName("Kölner Stadt-Anzeiger").
				SetPublishedAt(published).SaveX(ctx)
			prof := tx.SocialProfile.Query().FirstX(ctx)
			f := tx.Feed.Create().SetURL("https://jm.example/feed").SetSocialProfileID(prof.ID).SetContactID(c.ID).
				SetNextPollAt(published).SetLeaseUntil(published).SaveX(ctx)
			tx.FeedPost.Create().SetFeedID(f.ID).SetContactID(c.ID).SetKey("v1").SetTitle("Wärmepumpen-Video").SetPublishedAt(published).ExecX(ctx)
			return tx.CoverageAuthor.Create().SetCoverageItemID(it.ID).SetContactID(c.ID).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		stored := d.Client.Contact.GetX(ctx, c.ID)

		byID, err := search.LoadDocuments(ctx, graph.Loader{DB: d.SQL, Dialect: d.Dialect}, []int{c.ID})
		if err != nil {
			t.Fatal(err)
		}
		var all []*search.Document
		if _, err := search.LoadAll(ctx, graph.Loader{DB: d.SQL, Dialect: d.Dialect}, func(docs []*search.Document) error {
			all = append(all, docs...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Fatalf("LoadAll: %d documents, want 1", len(all))
		}
		want := &search.Document{ID: c.ID, Kind: "blogger", Stage: "supporter", FirstName: "Jürgen", LastName: "Müller",
			Title: "Chefredakteur", Bio: "Schreibt über Wärmepumpen.", City: "Köln", Region: "Nordrhein-Westfalen",
			OwnerID: owner.ID, Reach: stored.Reach, LastInteractionAt: &at, UpdatedAt: stored.UpdatedAt.UTC(),
			Emails:   []string{"jm@example.de", "juergen@privat.example"},
			Channels: []search.Channel{{Platform: "instagram", Handle: "jmueller"}, {Platform: "youtube", Handle: "jmtv"}},
			Outlets:  []search.Outlet{{Name: "Kölner Stadt-Anzeiger", Role: "Redakteur"}, {Name: "WDR"}},
			Topics:   []string{"Bauen", "Energie"}, Tags: []string{"Messe", "VIP"},
			Notes:    []search.Note{{At: at, Type: "call", Subject: "Wärmepumpen-Test", Body: body[:2*search.MaxNoteText]}},
			Coverage: []search.Piece{{At: published, Title: "Wärmepumpen im Altbau", Outlet: "Kölner Stadt-Anzeiger"}},
			Custom:   []string{"Messe Köln"}, Posts: []search.Post{{At: published, Title: "Wärmepumpen-Video"}}}
		for name, got := range map[string]*search.Document{"by id": byID[c.ID], "all": all[0]} {
			if got == nil {
				t.Fatalf("%s: no document", name)
			}
			v := reflect.ValueOf(*got)
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() && v.Field(i).IsZero() {
					t.Errorf("%s: Document.%s is empty", name, f.Name)
				}
			}
			if got.Reach == 0 {
				t.Errorf("%s: reach 0", name)
			}
			if got.Hash() != want.Hash() {
				t.Errorf("%s:\n got %+v\nwant %+v", name, *got, *want)
			}
		}

		s := openService(t, d)
		wantInSync(t, s)
		res, err := s.Search(ctx, search.Request{Q: "müller", Size: 10, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		wantFacets := map[string][]string{search.FacetKind: {"blogger"}, search.FacetStage: {"supporter"},
			search.FacetRegion: {"Nordrhein-Westfalen"}, search.FacetTopic: {"Bauen", "Energie"}, search.FacetTag: {"Messe", "VIP"},
			search.FacetPlatform: {"instagram", "youtube"}, search.FacetOwner: {strconv.Itoa(owner.ID)},
			search.FacetOutlet: {"Kölner Stadt-Anzeiger", "WDR"}}
		for _, f := range res.Facets {
			var got []string
			for _, v := range f.Values {
				got = append(got, v.Value)
			}
			slices.Sort(got)
			if !slices.Equal(got, wantFacets[f.Field]) {
				t.Errorf("facet %s: %q, want %q", f.Field, got, wantFacets[f.Field])
			}
			delete(wantFacets, f.Field)
		}
		if len(wantFacets) > 0 {
			t.Errorf("facets not returned: %v", wantFacets)
		}
		// Text of every kind finds the contact.
		for _, q := range []string{"chefredakteur", "wärmepumpe", "koeln", "jm@example.de", "jmueller", "anzeiger", "energie", "messe", "altbau"} {
			if got := find(t, s, q); !slices.Equal(got, []int{c.ID}) {
				t.Errorf("search %q: %v, want [%d]", q, got, c.ID)
			}
		}
	})
}
