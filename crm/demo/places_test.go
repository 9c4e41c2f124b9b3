package demo

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestDemoRegionsFollowThePlaceRule: demo contacts get their region as a
// contact saved through the form does (the place rule: München → Bayern),
// so the Region filter offers no city beside its Land; what the demo built
// on regions (campaigns, the bulk changes, the saved view) still selects
// people, and the owned channels sit on the matrix's axis, the contacts'
// regions.
func TestDemoRegionsFollowThePlaceRule(t *testing.T) {
	for _, tc := range demoTestDBs {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.open(t)
			ctx, c := context.Background(), d.Client
			if _, err := Load(ctx, c, Options{Contacts: 200}); err != nil {
				t.Fatal(err)
			}
			rule := crm.NewPlaceTable(nil)
			regions := map[string]bool{}
			for _, ct := range c.Contact.Query().Select(contact.FieldID, contact.FieldCity, contact.FieldRegion).AllX(ctx) {
				if _, want := rule.Canonical(ct.City, ""); ct.Region != want || want == "" {
					t.Errorf("contact %d in %q: region %q, the place rule gives %q", ct.ID, ct.City, ct.Region, want)
				}
				regions[ct.Region] = true
			}
			for _, city := range []string{"München", "Köln", "Frankfurt am Main"} {
				if regions[city] {
					t.Errorf("a contact has the city %q as region", city)
				}
			}
			if !regions["Bayern"] || !regions["Hamburg"] {
				t.Errorf("regions %v: want Bayern and Hamburg", regions)
			}
			for _, cp := range c.Campaign.Query().AllX(ctx) {
				if n := c.CampaignTarget.Query().Where(campaigntarget.CampaignID(cp.ID)).CountX(ctx); n == 0 {
					t.Errorf("campaign %q has no targets", cp.Name)
				}
			}
			for _, b := range c.BulkAction.Query().Order(ent.Asc(bulkaction.FieldID)).AllX(ctx) {
				if b.Changed == 0 {
					t.Errorf("bulk change %d (%s) changed nobody", b.ID, b.Summary)
				}
			}
			for _, v := range c.SavedView.Query().AllX(ctx) {
				q, err := url.ParseQuery(v.Query)
				if err != nil {
					t.Fatal(err)
				}
				if r := q.Get("region"); r != "" {
					if n := c.Contact.Query().Where(contact.Region(r), contact.KindEQ(contact.Kind(q.Get("kind")))).CountX(ctx); n == 0 {
						t.Errorf("saved view %q: no %s in %s", v.Name, q.Get("kind"), r)
					}
				}
			}
			for _, o := range c.OwnedChannel.Query().AllX(ctx) {
				if !regions[o.Region] {
					t.Errorf("owned channel %s in %q, not a contacts' region %v", o.Handle, o.Region, slices.Sorted(maps.Keys(regions)))
				}
			}
		})
	}
}
