package crm

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/coverageitem"
)

// Funnel is a campaign's progress: targets → pitched → replied → covered,
// and the pieces of coverage.
type Funnel struct {
	Targets, Pitched, Replied, Covered, Pieces int
}

// Rate is n as a whole percentage of of (0 when of is 0).
func Rate(n, of int) int {
	if of == 0 {
		return 0
	}
	return int(float64(n)*100/float64(of) + 0.5)
}

// funnelColumns count a funnel over campaign_targets rows: pitched are the
// targets with a pitch time, replied those with a reply time, covered those
// in state covered.
const funnelColumns = `COUNT(*),
	COALESCE(SUM(CASE WHEN pitched_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN status = 'covered' THEN 1 ELSE 0 END), 0)`

// funnelQuery counts the funnel of each of some campaigns.
const funnelQuery = `SELECT campaign_id, ` + funnelColumns + `
FROM campaign_targets WHERE %s GROUP BY campaign_id`

// totalsQuery counts one funnel over all the campaigns of a statement (vc)
// and their pieces of coverage.
const totalsQuery = `WITH vc AS (%s) SELECT ` + funnelColumns + `,
	(SELECT COUNT(*) FROM coverage_items WHERE campaign_id IN (SELECT id FROM vc))
FROM campaign_targets WHERE campaign_id IN (SELECT id FROM vc)`

// ClientTotals is the funnel of all of client brandID's campaigns the actor
// may see, summed in one statement (whatever page of them is shown).
func (s *Campaigns) ClientTotals(ctx context.Context, brandID int) (Funnel, error) {
	sel := sql.Dialect(s.client.Dialect()).Select(campaign.FieldID).From(sql.Table(campaign.Table))
	campaign.BrandID(brandID)(sel)
	visible(ActorFrom(ctx))(sel)
	sub, args := sel.Query()
	var f Funnel
	rows, err := s.client.QueryContext(ctx, fmt.Sprintf(totalsQuery, sub), args...)
	if err != nil {
		return f, fmt.Errorf("client totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&f.Targets, &f.Pitched, &f.Replied, &f.Covered, &f.Pieces); err != nil {
			return f, fmt.Errorf("client totals: %w", err)
		}
	}
	return f, rows.Err()
}

// funnels counts the funnels of campaigns ids: one grouped query over the
// targets and one over coverage.
func (s *Campaigns) funnels(ctx context.Context, ids []int) (map[int]Funnel, error) {
	out := make(map[int]Funnel, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	a := newSQLArgs(s.client.Dialect())
	rows, err := s.client.QueryContext(ctx, fmt.Sprintf(funnelQuery, a.in("campaign_id", ids)), a.list...)
	if err != nil {
		return nil, fmt.Errorf("campaign funnels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var f Funnel
		if err := rows.Scan(&id, &f.Targets, &f.Pitched, &f.Replied, &f.Covered); err != nil {
			return nil, fmt.Errorf("campaign funnels: %w", err)
		}
		out[id] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("campaign funnels: %w", err)
	}
	var pieces []struct {
		CampaignID int `json:"campaign_id"`
		Count      int `json:"count"`
	}
	if err := s.client.CoverageItem.Query().Where(coverageitem.CampaignIDIn(ids...)).GroupBy(coverageitem.FieldCampaignID).
		Aggregate(ent.Count()).Scan(ctx, &pieces); err != nil {
		return nil, fmt.Errorf("campaign coverage counts: %w", err)
	}
	for _, p := range pieces {
		f := out[p.CampaignID]
		f.Pieces = p.Count
		out[p.CampaignID] = f
	}
	return out, nil
}

// Count is a named figure of a report: pieces and their reach.
type Count struct {
	Name   string
	Pieces int
	Reach  int64
}

// Cell is one cell of the region × topic matrix.
type Cell struct {
	Region, Topic string
	Pieces        int
}

// Piece is one coverage item as the report lists it.
type Piece struct {
	ID                       int
	Title, URL, Outlet, Kind string
	OutletType, Sentiment    string
	PublishedAt              time.Time
	Reach                    *int64
	Authors                  []string
	KeyMessages              []string
	Advocate                 bool
}

// Report is what a campaign brought, for the manager and the client.
type Report struct {
	Campaign       *ent.Campaign
	Funnel         Funnel
	Weeks          []Count // coverage per week (Name: the Monday, YYYY-MM-DD)
	Reach          int64
	ByOutletType   []Count
	RegionTopic    []Cell
	Regions        []string
	Topics         []string
	TopContacts    []Count
	AdvocatePieces int
	Sentiment      []Count
	KeyMessages    []Count
	Pieces         []Piece
}

// Report computes campaign id's report in four statements: the campaign
// with its client, the funnel (one grouped count), the pieces, and their
// authors with region and topics (one join); every figure is then counted
// from those rows in memory.
func (s *Campaigns) Report(ctx context.Context, id int) (*Report, error) {
	c, err := s.client.Campaign.Query().Where(campaign.ID(id), visible(ActorFrom(ctx))).WithBrand().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This campaign does not exist or is not yours.")
	}
	if err != nil {
		return nil, fmt.Errorf("campaign report: %w", err)
	}
	r := &Report{Campaign: c}
	if err := s.funnelOf(ctx, id, &r.Funnel); err != nil {
		return nil, err
	}
	items, err := s.client.CoverageItem.Query().Where(coverageitem.CampaignID(id)).
		Order(coverageitem.ByPublishedAt(), coverageitem.ByID()).Limit(MaxReportPieces).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("campaign report: %w", err)
	}
	r.Funnel.Pieces = len(items)
	byItem, topics, err := s.reportAuthors(ctx, id)
	if err != nil {
		return nil, err
	}
	r.fill(items, byItem, topics)
	return r, nil
}

// MaxReportPieces bounds the pieces one report reads.
const MaxReportPieces = 20_000

func (s *Campaigns) funnelOf(ctx context.Context, id int, f *Funnel) error {
	rows, err := s.client.QueryContext(ctx, fmt.Sprintf(funnelQuery, "campaign_id = $1"), id)
	if err != nil {
		return fmt.Errorf("campaign funnel: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int
		if err := rows.Scan(&cid, &f.Targets, &f.Pitched, &f.Replied, &f.Covered); err != nil {
			return fmt.Errorf("campaign funnel: %w", err)
		}
	}
	return rows.Err()
}

// reportAuthorsQuery lists the authors of a campaign's pieces with their
// region and each of their topics (a row per topic).
const reportAuthorsQuery = `SELECT a.coverage_item_id, c.id, c.first_name, c.last_name, c.kind, c.region, COALESCE(t.name, '')
FROM coverage_items i JOIN coverage_authors a ON a.coverage_item_id = i.id JOIN contacts c ON c.id = a.contact_id
LEFT JOIN contact_topics ct ON ct.contact_id = c.id LEFT JOIN topics t ON t.id = ct.topic_id
WHERE i.campaign_id = $1`

func (s *Campaigns) reportAuthors(ctx context.Context, id int) (map[int][]*ent.Contact, map[int][]string, error) {
	rows, err := s.client.QueryContext(ctx, reportAuthorsQuery, id)
	if err != nil {
		return nil, nil, fmt.Errorf("campaign report: authors: %w", err)
	}
	defer rows.Close()
	byItem, topics := map[int][]*ent.Contact{}, map[int][]string{}
	seen := map[[2]int]bool{}
	seenTopic := map[int]map[string]bool{}
	for rows.Next() {
		var item int
		var t string
		c := &ent.Contact{}
		if err := rows.Scan(&item, &c.ID, &c.FirstName, &c.LastName, &c.Kind, &c.Region, &t); err != nil {
			return nil, nil, fmt.Errorf("campaign report: authors: %w", err)
		}
		if k := [2]int{item, c.ID}; !seen[k] {
			seen[k] = true
			byItem[item] = append(byItem[item], c)
		}
		if t != "" {
			if seenTopic[c.ID] == nil {
				seenTopic[c.ID] = map[string]bool{}
			}
			if !seenTopic[c.ID][t] {
				seenTopic[c.ID][t] = true
				topics[c.ID] = append(topics[c.ID], t)
			}
		}
	}
	return byItem, topics, rows.Err()
}

// fill computes the coverage figures from the pieces.
func (r *Report) fill(items []*ent.CoverageItem, byItem map[int][]*ent.Contact, topics map[int][]string) {
	weeks, types, top, sent, kms := map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}
	cells := map[[2]string]int{}
	regions, tps := map[string]bool{}, map[string]bool{}
	add := func(m map[string]*Count, k string, reach int64) {
		c, ok := m[k]
		if !ok {
			c = &Count{Name: k}
			m[k] = c
		}
		c.Pieces++
		c.Reach += reach
	}
	for _, k := range r.Campaign.KeyMessages {
		kms[k] = &Count{Name: k}
	}
	for _, it := range items {
		var reach int64
		if it.Reach != nil {
			reach = *it.Reach
		}
		r.Reach += reach
		p := Piece{ID: it.ID, Title: it.Title, URL: it.URL, Outlet: it.OutletName, Kind: string(it.Kind), OutletType: it.OutletType,
			Sentiment: string(it.Sentiment), PublishedAt: it.PublishedAt, Reach: it.Reach, KeyMessages: it.KeyMessages,
			Advocate: it.Kind == coverageitem.KindAdvocateRecommendation}
		for _, a := range byItem[it.ID] {
			name := DisplayName(a.FirstName, a.LastName)
			p.Authors = append(p.Authors, name)
			add(top, name, reach)
			if a.Kind == contact.KindAdvocate {
				p.Advocate = true
			}
			reg := a.Region
			if reg == "" {
				reg = "(no region)"
			}
			regions[reg] = true
			ts := topics[a.ID]
			if len(ts) == 0 {
				ts = []string{"(no topic)"}
			}
			for _, t := range ts {
				tps[t] = true
				cells[[2]string{reg, t}]++
			}
		}
		if p.Advocate {
			r.AdvocatePieces++
		}
		y, w := it.PublishedAt.UTC().ISOWeek()
		monday := isoMonday(y, w)
		add(weeks, monday.Format(dateLayout), reach)
		ot := it.OutletType
		if ot == "" {
			ot = "(unknown)"
		}
		add(types, ot, reach)
		add(sent, string(it.Sentiment), reach)
		for _, k := range it.KeyMessages {
			if _, ok := kms[k]; ok {
				add(kms, k, reach)
			}
		}
		r.Pieces = append(r.Pieces, p)
	}
	r.Weeks = sorted(weeks, func(a, b Count) bool { return a.Name < b.Name })
	byPieces := func(a, b Count) bool {
		if a.Pieces != b.Pieces {
			return a.Pieces > b.Pieces
		}
		return a.Name < b.Name
	}
	r.ByOutletType = sorted(types, byPieces)
	r.TopContacts = sorted(top, byPieces)
	if len(r.TopContacts) > 10 {
		r.TopContacts = r.TopContacts[:10]
	}
	for _, s := range []string{"positive", "neutral", "negative"} {
		c := Count{Name: s}
		if x, ok := sent[s]; ok {
			c = *x
		}
		r.Sentiment = append(r.Sentiment, c)
	}
	for _, k := range r.Campaign.KeyMessages {
		r.KeyMessages = append(r.KeyMessages, *kms[k])
	}
	r.Regions, r.Topics = keys(regions), keys(tps)
	for _, reg := range r.Regions {
		for _, t := range r.Topics {
			if n := cells[[2]string{reg, t}]; n > 0 {
				r.RegionTopic = append(r.RegionTopic, Cell{Region: reg, Topic: t, Pieces: n})
			}
		}
	}
}

// CellPieces is the matrix cell of region and topic.
func (r *Report) CellPieces(region, topic string) int {
	for _, c := range r.RegionTopic {
		if c.Region == region && c.Topic == topic {
			return c.Pieces
		}
	}
	return 0
}

func isoMonday(year, week int) time.Time {
	t := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC) // 4 January is in week 1
	t = t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
	return t.AddDate(0, 0, (week-1)*7)
}

func sorted(m map[string]*Count, less func(a, b Count) bool) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
