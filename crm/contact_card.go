package crm

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/rapport-crm/rapport/ent"
)

// ContactCard is everything the contact page shows beside the timeline,
// loaded with two queries however many channels, outlets or topics there are.
type ContactCard struct {
	*ent.Contact
	OwnerName        string
	Emails           []CardEmail
	Channels         []CardChannel
	Outlets          []CardOutlet
	Topics, Tags     []string
	InteractionCount int

	// Relationship health, advocacy and follow-ups (advocacy_card.go).
	Stages      Stages       // the ladder with its labels and cadences
	Health      HealthResult // computed now from the stats below
	Nominations []CardNomination
	Tasks       []CardTask
	Users       []CardUser // active users, to assign follow-ups
	Months      []MonthCount
	Followers   []FollowerSeries
	stats       healthStats

	// The panels beside the card (contact_card_panels.go).
	Authors    []CardUser          // active users by name in the database's order: the timeline's author filter
	Consent    []*ent.ConsentEvent // the consent history, oldest first
	Colleagues []ContactRef        // others at the contact's outlets, by name
	Campaigns  *ContactCampaigns   // of the campaigns the viewer may see
}

// CardEmail is an e-mail address on the card.
type CardEmail struct {
	Address, Type string
	Primary       bool
}

// CardChannel is a channel on the card.
type CardChannel struct {
	ID                    int
	Platform, Handle, URL string
	Followers             int64
	EngagementRate        *float64 // of its latest figures with engagement (ChannelInput), nil for none
}

// CardOutlet is a job at an outlet on the card.
type CardOutlet struct {
	OutletID         int
	Name, Type, Role string
}

// cardQuery gathers a contact's satellites in one round trip: one row per
// owner, e-mail, channel, job, topic and tag, and the rows of
// advocacyCardBranches (whose month rows add up to the interaction count).
// Columns: kind, id, four texts (a channel's fourth: its engagement rate), a
// number and a time (the first branch types them for PostgreSQL).
var cardQuery = `
SELECT 'owner' AS k, u.id, u.name AS a, '' AS b, '' AS c, '' AS d, 0 AS n, CAST(NULL AS timestamptz) AS t FROM users u JOIN contacts ct ON ct.owner_id = u.id WHERE ct.id = $1
UNION ALL SELECT 'email', e.id, e.address, e.type, '', '', CASE WHEN e."primary" THEN 1 ELSE 0 END, NULL FROM contact_emails e WHERE e.contact_id = $1
UNION ALL SELECT 'channel', s.id, s.platform, s.handle, s.url, COALESCE(CAST(s.engagement_rate AS text), ''), s.followers, NULL FROM social_profiles s WHERE s.contact_id = $1
UNION ALL SELECT 'outlet', o.id, o.name, m.role, o.type, '', m.id, NULL FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id = $1
UNION ALL SELECT 'topic', t.id, t.name, '', '', '', 0, NULL FROM contact_topics x JOIN topics t ON t.id = x.topic_id WHERE x.contact_id = $1
UNION ALL SELECT 'tag', g.id, g.name, '', '', '', 0, NULL FROM contact_tags y JOIN tags g ON g.id = y.tag_id WHERE y.contact_id = $1` + advocacyCardBranches + cardPanelBranches

// LoadContactCard loads contact id, its satellites and the panels beside
// it, of the campaigns the actor of ctx may see: two statements.
func LoadContactCard(ctx context.Context, client *ent.Client, id int) (*ContactCard, error) {
	c, err := client.Contact.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This contact does not exist (any more).")
	}
	if err != nil {
		return nil, fmt.Errorf("load contact %d: %w", id, err)
	}
	now := timeNow()
	actor := ActorFrom(ctx)
	args := append(append([]any{id}, cardArgs(now)...), actor.UserID, seeAll(actor))
	rows, err := client.QueryContext(ctx, cardQuery, args...)
	if err != nil {
		return nil, fmt.Errorf("load contact %d details: %w", id, err)
	}
	defer rows.Close()
	card := &ContactCard{Contact: c, Months: make([]MonthCount, ChartMonths)}
	for i, m := range chartMonths(now) {
		card.Months[i].Month = m
	}
	var stages []*stageRow
	noms, series := map[int]*CardNomination{}, map[int]*FollowerSeries{}
	pn := newPanels()
	for rows.Next() {
		var r cardRow
		if err := rows.Scan(&r.k, &r.id, &r.a, &r.b, &r.c, &r.d, &r.n, &r.t); err != nil {
			return nil, fmt.Errorf("scan contact %d details: %w", id, err)
		}
		k, rid, a, b, cc, n := r.k, r.id, r.a, r.b, r.c, r.n
		switch k {
		case "owner":
			card.OwnerName = a
		case "email":
			card.Emails = append(card.Emails, CardEmail{Address: a, Type: b, Primary: n == 1})
		case "channel":
			ch := CardChannel{ID: rid, Platform: a, Handle: b, URL: cc, Followers: n}
			if rate, err := strconv.ParseFloat(r.d, 64); err == nil {
				ch.EngagementRate = &rate
			}
			card.Channels = append(card.Channels, ch)
		case "outlet":
			card.Outlets = append(card.Outlets, CardOutlet{OutletID: rid, Name: a, Role: b, Type: cc})
		case "topic":
			card.Topics = append(card.Topics, a)
		case "tag":
			card.Tags = append(card.Tags, a)
		default:
			if !pn.add(r) {
				card.addAdvocacy(r, &stages, noms, series)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read contact %d details: %w", id, err)
	}
	sort.SliceStable(card.Emails, func(i, j int) bool { return card.Emails[i].Primary && !card.Emails[j].Primary })
	sort.Slice(card.Channels, func(i, j int) bool { return card.Channels[i].Followers > card.Channels[j].Followers })
	sort.Slice(card.Outlets, func(i, j int) bool { return card.Outlets[i].Name < card.Outlets[j].Name })
	sort.Strings(card.Topics)
	sort.Strings(card.Tags)
	card.Consent, card.Colleagues, card.Campaigns = pn.consentEvents(), pn.colleagueRefs(), pn.campaigns()
	card.finishAdvocacy(stages, noms, series, now)
	return card, nil
}
