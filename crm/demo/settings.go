package demo

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
)

// demoKeywordRules are the keyword alerts' rules: the clients' brand,
// product and campaign words, with the campaign a match belongs to ("": none).
var demoKeywordRules = []struct{ term, campaign string }{
	{"Hanse Gesundheitskasse", ""},
	{"Vorsorge-App", "Vorsorge-App: digitale Früherkennung"},
	{"Bergwerk Wanderschuh", "Herbstkollektion: Wanderschuhe aus recyceltem Material"},
}

// writeSettings adds the team's keyword rules (crm.KeywordRules, as a
// manager) and two saved views of the contact list through crm.SaveView: a
// staff member's own and a manager's shared one.
func (g *demoGen) writeSettings(ctx context.Context, client *ent.Client, _ *Stats) error {
	if len(g.users) < 5 {
		return nil
	}
	manager := crm.WithActor(ctx, crm.Actor{UserID: g.users[1], Name: "demo", Role: crm.RoleManager})
	rules := crm.NewKeywordRules(client)
	for _, k := range demoKeywordRules {
		in := crm.KeywordRuleInput{Term: k.term}
		if k.campaign != "" {
			c, err := client.Campaign.Query().Where(campaign.Name(k.campaign)).First(ctx)
			if err != nil {
				return fmt.Errorf("demo keyword rule %q: %w", k.term, err)
			}
			in.CampaignID = c.ID
		}
		if _, err := rules.Create(manager, in); err != nil {
			return fmt.Errorf("demo keyword rule %q: %w", k.term, err)
		}
	}
	staff := crm.WithActor(ctx, crm.Actor{UserID: g.users[3], Name: "demo", Role: crm.RoleStaff})
	for _, v := range []struct {
		ctx   context.Context
		name  string
		share bool
		query url.Values
	}{
		{staff, "Meine Journalistinnen in Bayern", false,
			url.Values{"kind": {"journalist"}, "region": {"Bayern"}, "owner": {strconv.Itoa(g.users[3])}}},
		{manager, "Gesundheit – Advocates", true, url.Values{"stage": {"advocate"}, "topic": {"Gesundheit"}}},
	} {
		if _, err := crm.SaveView(v.ctx, client, crm.ViewInput{Name: v.name, Shared: v.share, List: crm.ListContacts,
			Query: v.query.Encode()}); err != nil {
			return fmt.Errorf("demo saved view %q: %w", v.name, err)
		}
	}
	return nil
}
