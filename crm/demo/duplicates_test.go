package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestDemoDuplicatesAndPlaces: the demo has believable duplicates that the
// scan finds, whose gendered titles fit their first names as everyone's do,
// and its places are canonical (written as Munich, Muenchen and Koeln,
// stored as München and Köln).
func TestDemoDuplicatesAndPlaces(t *testing.T) {
	for _, tc := range demoTestDBs {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.open(t)
			ctx := context.Background()
			if _, err := Load(ctx, d.Client, Options{Contacts: 200}); err != nil {
				t.Fatal(err)
			}
			scan, err := crm.ScanDuplicates(ctx, d.Client)
			if err != nil {
				t.Fatal(err)
			}
			var ev []string
			for _, p := range scan.Pairs {
				ev = append(ev, strings.Join(p.Evidence, "; "))
			}
			all := strings.Join(ev, " | ")
			// The e-mail twins are one person entered twice: Miriam Klein both times.
			if n := d.Client.Contact.Query().Where(contact.FirstName("Miriam"), contact.LastName("Klein")).CountX(ctx); n != 2 {
				t.Errorf("%d demo contacts named Miriam Klein, want the 2 twins", n)
			}
			for _, want := range []string{"same e-mail miriam.klein@sz-redaktion.example", "same name; same outlet", "same phone +49403456789; first and last name swapped"} {
				if !strings.Contains(all, want) {
					t.Errorf("no pair with %q in %q", want, all)
				}
			}
			checkTitlesFitNames(t, ctx, d.Client)
			for _, bad := range []string{"Munich", "Muenchen", "Koeln"} {
				if n := d.Client.Contact.Query().Where(contact.Or(contact.City(bad), contact.Region(bad))).CountX(ctx); n != 0 {
					t.Errorf("%d contacts with the place %q", n, bad)
				}
			}
		})
	}
}

// checkTitlesFitNames: every demo contact's title is the form (male or
// female) of its first name, the duplicates' too (Juergen Mueller and the
// swapped Yılmaz Aylin by the person they duplicate).
func checkTitlesFitNames(t *testing.T, ctx context.Context, c *ent.Client) {
	t.Helper()
	gender := map[string]int{"Juergen": 0, "Aylin": 1, "Yılmaz": 1}
	for gi, names := range [][]string{demoMale, demoFemale} {
		for _, n := range names {
			gender[n] = gi
		}
	}
	form := map[string]int{}
	for _, k := range demoKinds {
		for _, p := range k.titles {
			if p[0] != p[1] { // "Podcast-Host" is either
				form[p[0]], form[p[1]] = 0, 1
			}
		}
	}
	checked := 0
	for _, ct := range c.Contact.Query().Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName, contact.FieldTitle).AllX(ctx) {
		gi, ok := gender[ct.FirstName]
		if !ok {
			t.Errorf("contact %d: first name %q is none of the demo's", ct.ID, ct.FirstName)
			continue
		}
		title := ct.Title
		if _, ok := form[title]; !ok { // a journalist's title may name the beat
			for p := range form {
				if strings.HasPrefix(ct.Title, p+" ") {
					title = p
				}
			}
		}
		if f, ok := form[title]; ok && f != gi {
			t.Errorf("%s %s has the title %q", ct.FirstName, ct.LastName, ct.Title)
		}
		checked++
	}
	if checked == 0 {
		t.Error("no titles checked")
	}
}
