package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/consentevent"
)

// The contact page's panels beside the card (consent history, colleagues,
// campaigns and coverage) are branches of the card's one union query; the
// access report and the consent history read the same branches alone
// (panelQuery), so each panel has one reader.

// consentBranches are a contact's consent events (the oldest 1,000), three
// rows per event: the columns of a row are too few for one.
const consentBranches = `
UNION ALL SELECT 'cev', e.id, e.actor_name, e.lawful_basis, e.consent_state, e.source, CASE WHEN e.do_not_contact THEN 1 ELSE 0 END, e.at FROM ` + consentWindow + ` e
UNION ALL SELECT 'cev2', e.id, COALESCE(CAST(e.changed AS TEXT), ''), e.evidence, e.wording_version, e.reason, COALESCE(e.actor_id, 0), e.notice_at FROM ` + consentWindow + ` e
UNION ALL SELECT 'cev3', e.id, e.notice_method, '', '', '', 0, NULL FROM ` + consentWindow + ` e`

const consentWindow = `(SELECT * FROM consent_events WHERE contact_id = $1 ORDER BY at, id LIMIT 1000)`

// colleagueBranch is up to ColleagueLimit other contacts who work at one of
// the contact's outlets, numbered by name: the people a meeting or a call
// often includes, offered on the log-an-interaction form.
var colleagueBranch = fmt.Sprintf(`
UNION ALL SELECT 'colleague', x.id, x.first_name, x.last_name, '', '', x.r, NULL FROM (
	SELECT c.id, c.first_name, c.last_name, ROW_NUMBER() OVER (ORDER BY c.sort_last, c.sort_first, c.id) AS r
	FROM contacts c WHERE c.id <> $1 AND EXISTS (SELECT 1 FROM employments e JOIN employments mine ON mine.outlet_id = e.outlet_id
		WHERE e.contact_id = c.id AND mine.contact_id = $1)
	ORDER BY c.sort_last, c.sort_first, c.id LIMIT %d) x`, ColleagueLimit)

// ColleagueLimit is how many colleagues the interaction form offers.
const ColleagueLimit = 20

// campaignBranches are the campaigns the contact was a target of (with the
// pitch's state and times) and the coverage they authored, the newest 500
// of each, of the campaigns user may see (all when all is 1); user and all
// are parameter placeholders.
func campaignBranches(user, all string) string {
	vis := fmt.Sprintf(`(%[2]s = 1 OR cp.owner_id = %[1]s OR EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.campaign_id = cp.id AND cm.user_id = %[1]s))`, user, all)
	targets := `(SELECT t.* FROM campaign_targets t JOIN campaigns cp ON cp.id = t.campaign_id WHERE t.contact_id = $1 AND ` + vis +
		` ORDER BY t.added_at DESC, t.id DESC LIMIT 500)`
	items := `(SELECT i.* FROM coverage_items i JOIN campaigns cp ON cp.id = i.campaign_id WHERE ` + vis +
		` AND EXISTS (SELECT 1 FROM coverage_authors ca WHERE ca.coverage_item_id = i.id AND ca.contact_id = $1)` +
		` ORDER BY i.published_at DESC, i.id DESC LIMIT 500)`
	return `
UNION ALL SELECT 'pitch', x.id, cp.name, b.name, x.status, x.source, x.campaign_id, x.added_at FROM ` + targets + ` x
	JOIN campaigns cp ON cp.id = x.campaign_id JOIN brands b ON b.id = cp.brand_id
UNION ALL SELECT 'pitchp', x.id, '', '', '', '', x.pitch_count, x.pitched_at FROM ` + targets + ` x
UNION ALL SELECT 'pitchr', x.id, '', '', '', '', 0, x.replied_at FROM ` + targets + ` x
UNION ALL SELECT 'cov', x.id, x.title, x.url, x.outlet_name, cp.name, x.campaign_id, x.published_at FROM ` + items + ` x
	JOIN campaigns cp ON cp.id = x.campaign_id
UNION ALL SELECT 'covk', x.id, x.kind, x.sentiment, CASE WHEN x.reach IS NULL THEN '' ELSE 'r' END, '', COALESCE(x.reach, 0), NULL FROM ` + items + ` x`
}

// panelHead types the union's columns for PostgreSQL when the panel
// branches run without the card.
const panelHead = `SELECT '' AS k, 0 AS id, '' AS a, '' AS b, '' AS c, '' AS d, 0 AS n, CAST(NULL AS timestamptz) AS t WHERE 1 = 0`

// panels collects the panel rows of the card's union query.
type panels struct {
	consent    map[int]*ent.ConsentEvent
	colleagues []cardRow
	pitches    map[int]*ContactPitch
	coverage   map[int]*ContactCoverage
}

func newPanels() *panels {
	return &panels{consent: map[int]*ent.ConsentEvent{}, pitches: map[int]*ContactPitch{}, coverage: map[int]*ContactCoverage{}}
}

// add files r if it is a panel row and reports whether it was.
func (p *panels) add(r cardRow) bool {
	switch r.k {
	case "cev", "cev2", "cev3":
		e, ok := p.consent[r.id]
		if !ok {
			e = &ent.ConsentEvent{ID: r.id}
			p.consent[r.id] = e
		}
		switch r.k {
		case "cev":
			e.ActorName, e.LawfulBasis, e.ConsentState, e.Source = r.a, consentevent.LawfulBasis(r.b), consentevent.ConsentState(r.c), r.d
			e.DoNotContact, e.At = r.n == 1, r.at()
		case "cev2":
			if r.a != "" {
				_ = json.Unmarshal([]byte(r.a), &e.Changed)
			}
			e.Evidence, e.WordingVersion, e.Reason = r.b, r.c, r.d
			if actor := int(r.n); actor != 0 {
				e.ActorID = &actor
			}
			if t := r.at(); !t.IsZero() {
				e.NoticeAt = &t
			}
		case "cev3":
			e.NoticeMethod = r.a
		}
	case "colleague":
		p.colleagues = append(p.colleagues, r)
	case "pitch", "pitchp", "pitchr":
		pt, ok := p.pitches[r.id]
		if !ok {
			pt = &ContactPitch{}
			p.pitches[r.id] = pt
		}
		t := r.at()
		switch r.k {
		case "pitch":
			pt.Campaign, pt.Client, pt.Status, pt.Source, pt.CampaignID, pt.AddedAt = r.a, r.b, r.c, r.d, int(r.n), t
		case "pitchp":
			pt.PitchCount = int(r.n)
			if !t.IsZero() {
				pt.PitchedAt = &t
			}
		case "pitchr":
			if !t.IsZero() {
				pt.RepliedAt = &t
			}
		}
	case "cov", "covk":
		cv, ok := p.coverage[r.id]
		if !ok {
			cv = &ContactCoverage{ID: r.id}
			p.coverage[r.id] = cv
		}
		if r.k == "cov" {
			cv.Title, cv.URL, cv.Outlet, cv.Campaign, cv.CampaignID, cv.PublishedAt = r.a, r.b, r.c, r.d, int(r.n), r.at()
		} else {
			cv.Kind, cv.Sentiment = r.a, r.b
			if r.c != "" {
				reach := r.n
				cv.Reach = &reach
			}
		}
	default:
		return false
	}
	return true
}

// consentEvents are the collected events, oldest first.
func (p *panels) consentEvents() []*ent.ConsentEvent {
	out := make([]*ent.ConsentEvent, 0, len(p.consent))
	for _, e := range p.consent {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// colleagueRefs are the collected colleagues by name.
func (p *panels) colleagueRefs() []ContactRef {
	sort.Slice(p.colleagues, func(i, j int) bool { return p.colleagues[i].n < p.colleagues[j].n })
	out := make([]ContactRef, len(p.colleagues))
	for i, r := range p.colleagues {
		out[i] = ContactRef{ID: r.id, Name: DisplayName(r.a, r.b)}
	}
	return out
}

// campaigns are the collected pitches (newest added first) and coverage
// (newest published first).
func (p *panels) campaigns() *ContactCampaigns {
	out := &ContactCampaigns{}
	ids := make([]int, 0, len(p.pitches))
	for id := range p.pitches {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := p.pitches[ids[i]], p.pitches[ids[j]]
		if !a.AddedAt.Equal(b.AddedAt) {
			return a.AddedAt.After(b.AddedAt)
		}
		return ids[i] > ids[j]
	})
	for _, id := range ids {
		out.Pitches = append(out.Pitches, *p.pitches[id])
	}
	for _, c := range p.coverage {
		out.Coverage = append(out.Coverage, *c)
	}
	sort.Slice(out.Coverage, func(i, j int) bool {
		a, b := out.Coverage[i], out.Coverage[j]
		if !a.PublishedAt.Equal(b.PublishedAt) {
			return a.PublishedAt.After(b.PublishedAt)
		}
		return a.ID > b.ID
	})
	return out
}

// panelQuery runs panel branches without the card; the branches take the
// contact id as $1 and args after it.
func panelQuery(ctx context.Context, client *ent.Client, branches string, args ...any) (*panels, error) {
	rows, err := client.QueryContext(ctx, panelHead+branches, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := newPanels()
	for rows.Next() {
		var r cardRow
		if err := rows.Scan(&r.k, &r.id, &r.a, &r.b, &r.c, &r.d, &r.n, &r.t); err != nil {
			return nil, err
		}
		p.add(r)
	}
	return p, rows.Err()
}

// seeAll is the union's "may see every campaign" parameter for a.
func seeAll(a Actor) int {
	if isManager(a) {
		return 1
	}
	return 0
}

// cardPanelBranches are the panel branches of the card's union: $28 is the
// viewer's user id and $29 whether they see every campaign.
var cardPanelBranches = strings.Join([]string{consentBranches, colleagueBranch, campaignBranches("$28", "$29")}, "")
