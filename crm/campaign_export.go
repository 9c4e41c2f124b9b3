package crm

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TargetListPurpose is the purpose logged for a download of a campaign's
// target list (pages show it in the reader's language).
const TargetListPurpose = "Campaign target list"

// TargetsTable is campaign id's target list with each person's pitch state,
// their pitch's embargo (a pitch sent before the embargo lifted carries it)
// and why anyone is not pitched, for a download through the export writers.
// Whom the export rules exclude (Selections.ResolveIDs) keeps a row with the
// reason, for the campaign's report, but no e-mail address. The download is
// logged as an export (export_logs, with every target as a member), so a
// person's access report lists it.
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
		mail := mails[x.ContactID]
		if why[x.ContactID] != "" {
			mail = "" // excluded: no contact details leave Rapport
		}
		r := []string{strconv.Itoa(x.ContactID), names[x.ContactID], mail, string(x.Status), day(x.AddedAt), "", "",
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
		if err := logTargetList(ctx, tx, id, ids, res, s.now()); err != nil {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionExport, Entity: EntityCampaign, EntityID: id,
			Msg: MsgTargetList(c.Name, len(t.Rows)), Changes: Changes{"rows": {nil, len(t.Rows)}}})
	})
}

// logTargetList logs a download of campaign id's target list as an export
// of its targets (ids), who was excluded and why (res).
func logTargetList(ctx context.Context, tx *ent.Tx, id int, ids []int, res *Resolved, now time.Time) error {
	c := tx.ExportLog.Create().SetFilter(schema.SegmentFilter{Campaign: &id}).SetFormat(export.CSV).
		SetPurpose(TargetListPurpose).SetRowCount(len(ids)).SetExcludedCounts(res.Excluded).SetMemberIds(ids).
		SetStatus(exportlog.StatusDone).SetCreatedAt(now.UTC()).SetFinishedAt(now.UTC())
	if a := ActorFrom(ctx); a.UserID != 0 {
		c.SetUserID(a.UserID)
	}
	if _, err := c.Save(ctx); err != nil {
		return fmt.Errorf("log target list: %w", err)
	}
	return nil
}
