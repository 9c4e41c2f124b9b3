package crm

import (
	"context"
	"fmt"
	"strconv"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// TargetsTable is campaign id's target list with each person's pitch state,
// their pitch's embargo (a pitch sent before the embargo lifted carries it)
// and why anyone is not pitched, for a download through the export writers.
func (s *Campaigns) TargetsTable(ctx context.Context, id int) (export.Table, error) {
	t := export.Table{Name: "Targets", Header: []string{"Contact", "Name", "E-mail", "Status", "Added", "Pitched", "Replied",
		"Pitches", "Embargo until", "Not pitched because"}, Numeric: []bool{true, false, false, false, false, false, false, true}}
	c, err := s.Campaign(ctx, id)
	if err != nil {
		return t, err
	}
	ts, err := s.client.CampaignTarget.Query().Where(campaigntarget.CampaignID(id)).Order(campaigntarget.ByContactID()).
		Limit(MaxTargets).All(ctx)
	if err != nil {
		return t, fmt.Errorf("export targets: %w", err)
	}
	ids := make([]int, len(ts))
	var its []int
	for i, x := range ts {
		ids[i] = x.ContactID
		if x.InteractionID != nil {
			its = append(its, *x.InteractionID)
		}
	}
	rows, err := s.sels.ListRowsByIDs(ctx, ids, ListNames{})
	if err != nil {
		return t, err
	}
	names := make(map[int]string, len(rows))
	for _, r := range rows {
		names[r.ID] = DisplayName(r.FirstName, r.LastName)
	}
	mails := map[int]string{}
	for lo := 0; lo < len(ids); lo += 1000 {
		es, err := s.client.ContactEmail.Query().Where(contactemail.ContactIDIn(ids[lo:min(len(ids), lo+1000)]...)).
			Order(contactemail.ByPrimary(), contactemail.ByID()).All(ctx)
		if err != nil {
			return t, fmt.Errorf("export targets: %w", err)
		}
		for _, e := range es {
			if _, ok := mails[e.ContactID]; !ok || e.Primary {
				mails[e.ContactID] = e.Address
			}
		}
	}
	embargo := map[int]string{}
	if len(its) > 0 {
		pitches, err := s.client.Interaction.Query().Where(interaction.IDIn(uniqueInts(its)...), interaction.EmbargoUntilNotNil()).All(ctx)
		if err != nil {
			return t, fmt.Errorf("export targets: %w", err)
		}
		for _, p := range pitches {
			embargo[p.ID] = p.EmbargoUntil.UTC().Format("2006-01-02 15:04") + " UTC"
		}
	}
	res, err := s.sels.ResolveIDs(ctx, ids, false)
	if err != nil {
		return t, err
	}
	why, _ := s.exclusionReasons(ctx, res)
	day := func(x interface{ Format(string) string }) string { return x.Format(dateLayout) }
	for _, x := range ts {
		r := []string{strconv.Itoa(x.ContactID), names[x.ContactID], mails[x.ContactID], string(x.Status), day(x.AddedAt), "", "",
			strconv.Itoa(x.PitchCount), "", why[x.ContactID]}
		if x.PitchedAt != nil {
			r[5] = day(*x.PitchedAt)
		}
		if x.RepliedAt != nil {
			r[6] = day(*x.RepliedAt)
		}
		if x.InteractionID != nil {
			r[8] = embargo[*x.InteractionID]
		}
		t.Rows = append(t.Rows, r)
	}
	t.Name = Truncate(c.Name, 27)
	return t, db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		return audit(ctx, tx, Event{Action: ActionExport, Entity: EntityCampaign, EntityID: id,
			Msg: MsgTargetList(c.Name, len(t.Rows)), Changes: Changes{"rows": {nil, len(t.Rows)}}})
	})
}
