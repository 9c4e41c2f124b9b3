package crm

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

func TestPlaceCanonical(t *testing.T) {
	table := NewPlaceTable([]Place{
		{Kind: "region", Name: "Oberbayern", Aliases: []string{"OBB", "Upper Bavaria"}},
		{Kind: "city", Name: "Garching bei München", Region: "Bayern", Aliases: []string{"Garching"}},
		{Kind: "city", Name: "Ismaning", Region: "Bavaria"}, // the region in any spelling
	})
	for _, tc := range []struct {
		name, city, region, wantCity, wantRegion string
	}{
		{"ok_umlaut", "München", "", "München", "Bayern"},
		{"ok_english", "Munich", "", "München", "Bayern"},
		{"ok_transliterated", "Muenchen", "Bayern", "München", "Bayern"},
		{"ok_no_diacritics", "munchen", "", "München", "Bayern"},
		{"ok_region_english", "", "Bavaria", "", "Bayern"},
		{"ok_region_code", "", "NRW", "", "Nordrhein-Westfalen"},
		{"ok_region_is_city", "", "Muenchen", "", "München"},
		{"ok_region_kept", "Köln", "Rheinland", "Köln", "Rheinland"},
		{"ok_cologne", "Koeln", "", "Köln", "Nordrhein-Westfalen"},
		{"ok_frankfurt", "Frankfurt a. M.", "hessen", "Frankfurt am Main", "Hessen"},
		{"ok_spaces", "  Düsseldorf ", "North Rhine-Westphalia", "Düsseldorf", "Nordrhein-Westfalen"},
		{"ok_unknown", "Kleinkleckersdorf", "", "Kleinkleckersdorf", ""},
		{"ok_custom_region", "", "upper bavaria", "", "Oberbayern"},
		{"ok_custom_city", "Garching", "", "Garching bei München", "Bayern"},
		{"ok_thueringen", "Erfurt", "Thueringen", "Erfurt", "Thüringen"},
		{"ok_empty", "", "", "", ""},
		{"ok_custom_city_region_spelling", "Ismaning", "", "Ismaning", "Bayern"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, r := table.Canonical(tc.city, tc.region)
			if c != tc.wantCity || r != tc.wantRegion {
				t.Errorf("Canonical(%q, %q) = %q, %q; want %q, %q", tc.city, tc.region, c, r, tc.wantCity, tc.wantRegion)
			}
		})
	}
}

// TestPlacesOnWritesAndMigration: the writer applies the place table to
// every write (an admin's new spelling from the next write on), and
// NormalizePlaces brings stored contacts in line, through the writer, with
// a report; a second run changes nothing.
func TestPlacesOnWritesAndMigration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		id, err := w.Create(ctx, ContactInput{FirstName: "Miriam", LastName: "Klein", City: "Munich"})
		if err != nil {
			t.Fatal(err)
		}
		c := d.Client.Contact.GetX(ctx, id)
		if c.City != "München" || c.Region != "Bayern" {
			t.Fatalf("created with %q, %q", c.City, c.Region)
		}
		// Stored before the rule existed: written around the writer.
		var old []int
		for _, p := range [][2]string{{"Muenchen", "Bavaria"}, {"Munchen", ""}, {"Cologne", "NRW"}, {"Kleinstadt", "Ostwestfalen"}} {
			err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				c, err := tx.Contact.Create().SetFirstName("Alt").SetLastName(p[0]).SetCity(p[0]).SetRegion(p[1]).Save(ctx)
				if err == nil {
					old = append(old, c.ID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := SavePlace(ctx, d.Client, Place{Kind: "region", Name: "Ostwestfalen-Lippe", Aliases: []string{"Ostwestfalen", "OWL"}}); err != nil {
			t.Fatal(err)
		}
		rep, err := NormalizePlaces(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Scanned != 5 || rep.Changed != 4 {
			t.Errorf("scanned %d, changed %d; want 5, 4", rep.Scanned, rep.Changed)
		}
		want := map[PlaceChange]int{
			{Field: "city", From: "Muenchen", To: "München"}: 1, {Field: "region", From: "Bavaria", To: "Bayern"}: 1,
			{Field: "city", From: "Munchen", To: "München"}: 1, {Field: "region", From: "", To: "Bayern"}: 1,
			{Field: "city", From: "Cologne", To: "Köln"}: 1, {Field: "region", From: "NRW", To: "Nordrhein-Westfalen"}: 1,
			{Field: "region", From: "Ostwestfalen", To: "Ostwestfalen-Lippe"}: 1,
		}
		if len(rep.Changes) != len(want) {
			t.Errorf("changes %+v", rep.Changes)
		}
		for _, ch := range rep.Changes {
			n := ch.Contacts
			ch.Contacts = 0
			if want[ch] != n {
				t.Errorf("change %+v counted %d, want %d", ch, n, want[ch])
			}
		}
		got := d.Client.Contact.GetX(ctx, old[2])
		if got.City != "Köln" || got.Region != "Nordrhein-Westfalen" || got.Version != 2 {
			t.Errorf("Cologne stored as %q, %q (version %d)", got.City, got.Region, got.Version)
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.EntityID(old[2]), auditevent.SummaryHasPrefix("Place names made canonical")).CountX(ctx); n != 1 {
			t.Errorf("%d audit events for the normalised contact", n)
		}
		again, err := NormalizePlaces(ctx, w)
		if err != nil || again.Changed != 0 || len(again.Changes) != 0 {
			t.Errorf("second run: %+v, %v", again, err)
		}
	})
}

// TestOutletRegionsCanonical: an outlet's region follows the contacts' place
// rule on save (Bavaria → Bayern, a city's name in its spelling), and the
// normalisation brings outlets stored before the rule to it, with a report.
func TestOutletRegionsCanonical(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o, err := SaveOutlet(ctx, d.Client, 0, OutletInput{Name: "Abendzeitung", Region: " bavaria "})
		if err != nil {
			t.Fatal(err)
		}
		if o.Region != "Bayern" {
			t.Fatalf("outlet saved with region %q, want Bayern", o.Region)
		}
		if o, err = SaveOutlet(ctx, d.Client, o.ID, OutletInput{Name: "Abendzeitung", Region: "Muenchen"}); err != nil || o.Region != "München" {
			t.Fatalf("outlet updated with region %q (%v), want München", o.Region, err)
		}
		var old int
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			x, err := tx.Outlet.Create().SetName("Westfalen-Blatt").SetRegion("OWL").Save(ctx)
			old = x.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := SavePlace(ctx, d.Client, Place{Kind: "region", Name: "Ostwestfalen-Lippe", Aliases: []string{"OWL"}}); err != nil {
			t.Fatal(err)
		}
		rep, err := NormalizePlaces(ctx, NewContactWriter(d.Client, d.Dialect, nil, nil))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Outlets != 1 || len(rep.Changes) != 1 || rep.Changes[0] != (PlaceChange{Field: "outlet region", From: "OWL", To: "Ostwestfalen-Lippe", Contacts: 1}) {
			t.Fatalf("report %+v", rep)
		}
		if got := d.Client.Outlet.GetX(ctx, old).Region; got != "Ostwestfalen-Lippe" {
			t.Fatalf("stored outlet region %q after normalising", got)
		}
	})
}
