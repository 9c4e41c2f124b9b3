package crm

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TargetSelection is who campaign id's target list shows: its targets, in
// the pitch state status ("" every state), in name order. The campaign
// page lists it, and its bulk bar and export resolve it, so all three
// mean the same people.
func TargetSelection(id int, status string) Selection {
	f := schema.SegmentFilter{Campaign: &id}
	if status != "" {
		f.CampaignStatuses = []string{status}
	}
	return Selection{Filter: f, Sort: SortName}
}

// targetsOf keeps the targets of f.Campaign (in one of f.CampaignStatuses,
// when set) if the actor of ctx may run the campaign (its owner, its team,
// managers: visible); for anyone else it keeps nobody, so that a list, a
// bulk action or an export of someone else's campaign reveals nothing. The
// actor's id is an argument of the statement, so cached pages of one user
// are never another's.
func targetsOf(ctx context.Context, f schema.SegmentFilter) predicate.Contact {
	id, statuses, runs := *f.Campaign, f.CampaignStatuses, visible(ActorFrom(ctx))
	return func(s *sql.Selector) {
		t := sql.Table(campaigntarget.Table)
		in := sql.Select(t.C(campaigntarget.FieldContactID)).From(t).Where(sql.EQ(t.C(campaigntarget.FieldCampaignID), id))
		if len(statuses) > 0 {
			vs := make([]any, len(statuses))
			for i, st := range statuses {
				vs[i] = st
			}
			in.Where(sql.In(t.C(campaigntarget.FieldStatus), vs...))
		}
		c := sql.Table(campaign.Table)
		mine := sql.Select(c.C(campaign.FieldID)).From(c).Where(sql.EQ(c.C(campaign.FieldID), id)) // one row at most: PostgreSQL runs it once
		runs(mine)
		in.Where(sql.In(t.C(campaigntarget.FieldCampaignID), mine))
		s.Where(sql.In(s.C(contact.FieldID), in))
	}
}
