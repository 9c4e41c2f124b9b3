package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestDemoDuplicatesAndPlaces: the demo has believable duplicates that the
// scan finds, and its places are canonical (written as Munich, Muenchen and
// Koeln, stored as München and Köln).
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
			for _, bad := range []string{"Munich", "Muenchen", "Koeln"} {
				if n := d.Client.Contact.Query().Where(contact.Or(contact.City(bad), contact.Region(bad))).CountX(ctx); n != 0 {
					t.Errorf("%d contacts with the place %q", n, bad)
				}
			}
		})
	}
}
