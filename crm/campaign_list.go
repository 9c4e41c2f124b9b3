package crm

import (
	"context"
	"fmt"
	"slices"
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

// CampaignFilter narrows and pages the list of campaigns (the page and the API).
type CampaignFilter struct {
	BrandID int
	Status  string // "" any
	Older   string // a page's Older cursor: the campaigns after it in the order
	Newer   string // a page's Newer cursor: the campaigns before it (the page before)
	Limit   int
}

// CampaignPage is a page of campaigns with the cursors of its neighbours
// ("" where none follow).
type CampaignPage struct {
	Rows         []CampaignRow
	Older, Newer string
}

// Page returns a page of the campaigns the actor may see, newest start
// first, then newest id, with their progress, keyset-paged on (start, id)
// so that every page costs what the first costs.
func (s *Campaigns) Page(ctx context.Context, f CampaignFilter) (*CampaignPage, error) {
	q := s.client.Campaign.Query().Where(visible(ActorFrom(ctx)))
	if f.BrandID != 0 {
		q.Where(campaign.BrandID(f.BrandID))
	}
	if f.Status != "" {
		q.Where(campaign.StatusEQ(campaign.Status(f.Status)))
	}
	back := f.Newer != "" && f.Older == ""
	order := ent.Desc
	switch {
	case back:
		c, err := campaignCursor(f.Newer)
		if err != nil {
			return nil, err
		}
		q.Where(campaign.Or(campaign.StartsAtGT(*c.At), campaign.And(campaign.StartsAt(*c.At), campaign.IDGT(c.ID))))
		order = ent.Asc
	case f.Older != "":
		c, err := campaignCursor(f.Older)
		if err != nil {
			return nil, err
		}
		q.Where(campaign.Or(campaign.StartsAtLT(*c.At), campaign.And(campaign.StartsAt(*c.At), campaign.IDLT(c.ID))))
	}
	cs, err := q.WithBrand().WithOwner().Order(order(campaign.FieldStartsAt), order(campaign.FieldID)).Limit(f.Limit + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	more := len(cs) > f.Limit
	if more {
		cs = cs[:f.Limit]
	}
	if back {
		slices.Reverse(cs)
	}
	page := &CampaignPage{}
	if len(cs) > 0 {
		first, last := cs[0], cs[len(cs)-1]
		if (back && more) || (!back && f.Older != "") {
			page.Newer = cursor{At: &first.StartsAt, ID: first.ID}.encode()
		}
		if back || more {
			page.Older = cursor{At: &last.StartsAt, ID: last.ID}.encode()
		}
	}
	page.Rows, err = s.campaignRows(ctx, cs)
	return page, err
}

// campaignCursor reads a campaign page's cursor: a start time and an id.
func campaignCursor(s string) (cursor, error) {
	c, err := decodeCursor(s)
	if err == nil && c.At == nil {
		err = Errorf(EInvalid, "This page link is broken; start again from the first page.")
	}
	return c, err
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
