package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/locale"
)

// MaxTargets bounds a campaign's target list.
const MaxTargets = 20_000

// FreezeResult says what freezing or extending a target list did.
type FreezeResult struct {
	Added, AlreadyOn int
	Excluded         map[string]int // members who will not be pitched, by reason (ExclusionLabels)
}

// FreezeTargets adds the members of sel (a segment's or a selection's), as
// the resolver lists them now, to campaign id's target list: frozen, later
// changes to the segment do not move it. Members who opted out or are
// do-not-contact are added too, so that the list shows who is left out and
// why; pitching skips them.
func (s *Campaigns) FreezeTargets(ctx context.Context, id int, src CampaignSource, sel Selection) (*FreezeResult, error) {
	c, err := s.canRun(ctx, id)
	if err != nil {
		return nil, err
	}
	res, err := s.sels.Resolve(ctx, sel, false)
	if err != nil {
		return nil, err
	}
	r, err := s.addTargets(ctx, c, res.All, campaigntarget.SourceList, MsgTargetsFrozen)
	if err != nil {
		return nil, err
	}
	r.Excluded = res.Excluded
	now := s.now().UTC()
	return r, db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		return tx.Campaign.UpdateOneID(id).SetSource(src).SetFrozenAt(now).AddVersion(1).Exec(ctx)
	})
}

// AddTargets adds contacts ids to the target list by hand.
func (s *Campaigns) AddTargets(ctx context.Context, id int, ids []int) (*FreezeResult, error) {
	c, err := s.canRun(ctx, id)
	if err != nil {
		return nil, err
	}
	ids = uniqueInts(ids)
	res, err := s.sels.ResolveIDs(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	if len(res.All) != len(ids) {
		return nil, Errorf(ENotFound, "A contact to add does not exist (any more).")
	}
	r, err := s.addTargets(ctx, c, res.All, campaigntarget.SourceHand, MsgTargetsByHand)
	if err == nil {
		r.Excluded = res.Excluded
	}
	return r, err
}

// addTargets inserts the missing targets with INSERTs from the list of ids
// (one argument) that skip those on the list already, one transaction.
func (s *Campaigns) addTargets(ctx context.Context, c *ent.Campaign, ids []int, src campaigntarget.Source, how func(string, int) AuditMsg) (*FreezeResult, error) {
	r := &FreezeResult{}
	now := s.now().UTC()
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		n, err := tx.CampaignTarget.Query().Where(campaigntarget.CampaignID(c.ID)).Count(ctx)
		if err != nil {
			return fmt.Errorf("add targets: %w", err)
		}
		if n+len(ids) > MaxTargets {
			return NewError(EInvalid, "A campaign holds at most {{.Max}} people; this would make {{.N}}.", "Max", locale.From(ctx).Number(MaxTargets), "N", locale.From(ctx).Number(int64(n+len(ids))))
		}
		for chunk := range slices.Chunk(ids, 5000) {
			a := newSQLArgs(tx.Client().Dialect())
			q := "INSERT INTO campaign_targets (campaign_id, contact_id, status, source, added_at, status_at, pitch_count) SELECT " +
				a.typed(c.ID, "bigint") + ", value, 'planned', " + a.typed(string(src), "text") + ", " + a.typed(now, "timestamptz") + ", " +
				a.typed(now, "timestamptz") + ", 0 FROM " + a.idRows(chunk) +
				" WHERE true ON CONFLICT (campaign_id, contact_id) DO NOTHING" // WHERE: SQLite's parser needs it before ON CONFLICT
			res, err := tx.ExecContext(ctx, q, a.list...)
			if err != nil {
				return fmt.Errorf("add targets: %w", err)
			}
			k, _ := res.RowsAffected()
			r.Added += int(k)
		}
		r.AlreadyOn = len(ids) - r.Added
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityCampaign, EntityID: c.ID,
			Msg: how(c.Name, r.Added), Changes: Changes{"targets": {n, n + r.Added}}})
	})
	return r, err
}

// canRun loads campaign id if the actor may run it: its owner, its team,
// managers.
func (s *Campaigns) canRun(ctx context.Context, id int) (*ent.Campaign, error) {
	return s.Campaign(ctx, id)
}

// TargetRow is one target as the campaign page lists it.
type TargetRow struct {
	ContactID          int
	Name, Kind, Region string
	Outlets            string
	Status             string
	Source             string
	PitchedAt          *time.Time
	RepliedAt          *time.Time
	PitchCount         int
	Excluded           string // why this person is not pitched ("" when they may be)
}

// TargetPageSize is how many targets a page of the campaign page lists.
const TargetPageSize = 500

// TargetFilter narrows the target list and says which page.
type TargetFilter struct {
	Status string // "" all
	Limit  int    // 0: TargetPageSize
	After  string // cursor from a previous page's Next ("" the first page)
}

// TargetPage is a page of targets with the counts by status.
type TargetPage struct {
	Rows     []TargetRow
	Total    int
	ByStatus map[string]int
	Next     string // cursor of the next page, "" on the last
}

// Targets lists campaign id's targets in name order with their exclusions:
// the members of TargetSelection, a page of the resolver's keyset-paged
// List (the contact list's cursor), so that the page, its bulk bar and
// its export hold the same people and a deep page costs what the first
// does.
func (s *Campaigns) Targets(ctx context.Context, id int, f TargetFilter) (*TargetPage, error) {
	if _, err := s.Campaign(ctx, id); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > TargetPageSize {
		f.Limit = TargetPageSize
	}
	p := &TargetPage{ByStatus: map[string]int{}}
	var counts []struct {
		Status string `json:"status"`
		Count  int    `json:"count"`
	}
	err := s.client.CampaignTarget.Query().Where(campaigntarget.CampaignID(id)).
		GroupBy(campaigntarget.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &counts)
	if err != nil {
		return nil, fmt.Errorf("count targets: %w", err)
	}
	for _, c := range counts { // every target is a contact (foreign key): the selection's count
		p.ByStatus[c.Status] = c.Count
		if f.Status == "" || f.Status == c.Status {
			p.Total += c.Count
		}
	}
	page, err := s.sels.List(ctx, ListParams{Selection: TargetSelection(id, f.Status), After: f.After, Limit: f.Limit})
	if err != nil || len(page.Rows) == 0 {
		return p, err
	}
	p.Next = page.Next
	ids := make([]int, len(page.Rows))
	for i, r := range page.Rows {
		ids[i] = r.ID
	}
	ts, err := s.client.CampaignTarget.Query().Where(campaigntarget.CampaignID(id), campaigntarget.ContactIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	res, err := s.sels.ResolveIDs(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	why, err := s.exclusionReasons(ctx, res)
	if err != nil {
		return nil, err
	}
	byID := map[int]*ent.CampaignTarget{}
	for _, t := range ts {
		byID[t.ContactID] = t
	}
	for _, r := range page.Rows {
		t := byID[r.ID]
		if t == nil {
			continue // taken off the list between the two reads
		}
		p.Rows = append(p.Rows, TargetRow{ContactID: r.ID, Name: DisplayName(r.FirstName, r.LastName), Kind: r.Kind,
			Region: r.Region, Outlets: r.Outlets, Status: string(t.Status), Source: string(t.Source), PitchedAt: t.PitchedAt,
			RepliedAt: t.RepliedAt, PitchCount: t.PitchCount, Excluded: why[r.ID]})
	}
	return p, nil
}

// exclusionReasons says, for each excluded contact of res, why in words.
func (s *Campaigns) exclusionReasons(_ context.Context, res *Resolved) (map[int]string, error) {
	out := make(map[int]string, len(res.ExcludedIDs))
	for i, id := range res.ExcludedIDs {
		out[id] = ExclusionLabels[res.Reasons[i]]
	}
	return out, nil
}
