package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// ContactPitch is one campaign a contact was a target of, with their pitch.
type ContactPitch struct {
	CampaignID           int
	Campaign, Client     string
	Status, Source       string
	AddedAt              time.Time
	PitchedAt, RepliedAt *time.Time
	PitchCount           int
}

// ContactCoverage is one piece a contact authored.
type ContactCoverage struct {
	ID, CampaignID               int
	Campaign, Title, URL, Outlet string
	Kind, Sentiment              string
	PublishedAt                  time.Time
	Reach                        *int64
}

// ContactCampaigns is everything campaigns hold about one person.
type ContactCampaigns struct {
	Pitches  []ContactPitch
	Coverage []ContactCoverage
}

// CampaignDataOfContact returns every campaign contact id was a target of
// (with the pitch's state and times) and every coverage item they authored,
// whoever runs the campaigns: for a data subject access request. The pitch
// and reply interactions themselves are on the contact's timeline.
func CampaignDataOfContact(ctx context.Context, client *ent.Client, id int) (*ContactCampaigns, error) {
	return campaignData(ctx, client, id, campaign.IDGT(0))
}

// CampaignsOfContact is CampaignDataOfContact narrowed to the campaigns the
// actor of ctx may see (the contact page).
func CampaignsOfContact(ctx context.Context, client *ent.Client, id int) (*ContactCampaigns, error) {
	return campaignData(ctx, client, id, visible(ActorFrom(ctx)))
}

func campaignData(ctx context.Context, client *ent.Client, id int, vis predicate.Campaign) (*ContactCampaigns, error) {
	ts, err := client.CampaignTarget.Query().Where(campaigntarget.ContactID(id), campaigntarget.HasCampaignWith(vis)).
		WithCampaign(func(q *ent.CampaignQuery) { q.WithBrand() }).Order(ent.Desc(campaigntarget.FieldAddedAt)).Limit(500).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("campaigns of contact: %w", err)
	}
	out := &ContactCampaigns{}
	for _, t := range ts {
		p := ContactPitch{CampaignID: t.CampaignID, Status: string(t.Status), Source: string(t.Source), AddedAt: t.AddedAt,
			PitchedAt: t.PitchedAt, RepliedAt: t.RepliedAt, PitchCount: t.PitchCount}
		if c := t.Edges.Campaign; c != nil {
			p.Campaign = c.Name
			if c.Edges.Brand != nil {
				p.Client = c.Edges.Brand.Name
			}
		}
		out.Pitches = append(out.Pitches, p)
	}
	items, err := client.CoverageItem.Query().Where(coverageitem.HasAuthorsWith(coverageauthor.ContactID(id)),
		coverageitem.HasCampaignWith(vis)).WithCampaign().Order(ent.Desc(coverageitem.FieldPublishedAt)).Limit(500).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("coverage of contact: %w", err)
	}
	for _, it := range items {
		cc := ContactCoverage{ID: it.ID, CampaignID: it.CampaignID, Title: it.Title, URL: it.URL, Outlet: it.OutletName,
			Kind: string(it.Kind), Sentiment: string(it.Sentiment), PublishedAt: it.PublishedAt, Reach: it.Reach}
		if it.Edges.Campaign != nil {
			cc.Campaign = it.Edges.Campaign.Name
		}
		out.Coverage = append(out.Coverage, cc)
	}
	return out, nil
}
