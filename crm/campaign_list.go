package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
)

// CampaignRow is one campaign on /campaigns, with its progress.
type CampaignRow struct {
	ID, BrandID                        int
	OwnerID                            *int
	Name, Client, Status, Owner        string
	StartsAt                           time.Time
	Targets, Pitched, Replied, Covered int
	Coverage                           int
}

// List returns the campaigns the actor may see, newest start first, with
// their progress (one grouped count over the targets and one over coverage).
func (s *Campaigns) List(ctx context.Context, brandID int) ([]CampaignRow, error) {
	q := s.client.Campaign.Query().Where(visible(ActorFrom(ctx)))
	if brandID != 0 {
		q.Where(campaign.BrandID(brandID))
	}
	cs, err := q.WithBrand().WithOwner().Order(ent.Desc(campaign.FieldStartsAt), ent.Desc(campaign.FieldID)).Limit(500).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return s.campaignRows(ctx, cs)
}

// CampaignFilter narrows and pages the API's list of campaigns.
type CampaignFilter struct {
	BrandID int
	Status  string // "" any
	Before  int    // the cursor: campaigns with a smaller id (0: from the newest)
	Limit   int
}

// Page returns a page of the campaigns the actor may see (the visibility of
// List), newest first by id, with their progress, and whether more follow.
func (s *Campaigns) Page(ctx context.Context, f CampaignFilter) ([]CampaignRow, bool, error) {
	q := s.client.Campaign.Query().Where(visible(ActorFrom(ctx)))
	if f.BrandID != 0 {
		q.Where(campaign.BrandID(f.BrandID))
	}
	if f.Status != "" {
		q.Where(campaign.StatusEQ(campaign.Status(f.Status)))
	}
	if f.Before > 0 {
		q.Where(campaign.IDLT(f.Before))
	}
	cs, err := q.WithBrand().WithOwner().Order(ent.Desc(campaign.FieldID)).Limit(f.Limit + 1).All(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("list campaigns: %w", err)
	}
	more := len(cs) > f.Limit
	if more {
		cs = cs[:f.Limit]
	}
	rows, err := s.campaignRows(ctx, cs)
	return rows, more, err
}

// campaignRows are campaigns cs (with brand and owner) with their funnels.
func (s *Campaigns) campaignRows(ctx context.Context, cs []*ent.Campaign) ([]CampaignRow, error) {
	ids := make([]int, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	funnels, err := s.funnels(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CampaignRow, len(cs))
	for i, c := range cs {
		f := funnels[c.ID]
		out[i] = CampaignRow{ID: c.ID, Name: c.Name, Status: string(c.Status), StartsAt: c.StartsAt, BrandID: c.BrandID, OwnerID: c.OwnerID,
			Targets: f.Targets, Pitched: f.Pitched, Replied: f.Replied, Covered: f.Covered, Coverage: f.Pieces}
		if c.Edges.Brand != nil {
			out[i].Client = c.Edges.Brand.Name
		}
		if c.Edges.Owner != nil {
			out[i].Owner = c.Edges.Owner.Name
		}
	}
	return out, nil
}
