package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

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
}

// CardOutlet is a job at an outlet on the card.
type CardOutlet struct {
	OutletID         int
	Name, Type, Role string
}

// cardQuery gathers a contact's satellites in one round trip: one row per
// owner, e-mail, channel, job, topic and tag, and the rows of
// advocacyCardBranches (whose month rows add up to the interaction count).
// Columns: kind, id, four texts, a number and a time (the first branch types
// it for PostgreSQL).
var cardQuery = `
SELECT 'owner' AS k, u.id, u.name AS a, '' AS b, '' AS c, '' AS d, 0 AS n, CAST(NULL AS timestamptz) AS t FROM users u JOIN contacts ct ON ct.owner_id = u.id WHERE ct.id = $1
UNION ALL SELECT 'email', e.id, e.address, e.type, '', '', CASE WHEN e."primary" THEN 1 ELSE 0 END, NULL FROM contact_emails e WHERE e.contact_id = $1
UNION ALL SELECT 'channel', s.id, s.platform, s.handle, s.url, '', s.followers, NULL FROM social_profiles s WHERE s.contact_id = $1
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
			card.Channels = append(card.Channels, CardChannel{ID: rid, Platform: a, Handle: b, URL: cc, Followers: n})
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

// TimelineEntry is one interaction on a contact's timeline.
type TimelineEntry struct {
	ID                         int
	Type, Direction, Sentiment string
	Subject, Body, Author      string
	OccurredAt                 time.Time
	AuthorID                   int      // 0: nobody (the author's account is gone)
	Links                      []string // web addresses it refers to
}

// Timeline is one page of a contact's interactions, newest first.
type Timeline struct {
	Entries []TimelineEntry
	Next    string // cursor for "load more", "" at the end
}

// timelineQuery pages a contact's participations by their copy of the
// interaction's time, a range of the (contact_id, occurred_at,
// interaction_id) index, and joins only the page's interactions.
const timelineQuery = `
SELECT i.id, i.type, i.direction, i.sentiment, i.subject, i.body, COALESCE(u.name, ''), i.occurred_at,
	COALESCE(i.author_id, 0), i.links
FROM (SELECT p.interaction_id, p.occurred_at FROM participations p %s
	WHERE p.contact_id = $1 %s
	ORDER BY p.occurred_at DESC, p.interaction_id DESC
	LIMIT %d) p
JOIN interactions i ON i.id = p.interaction_id
LEFT JOIN users u ON u.id = i.author_id
ORDER BY p.occurred_at DESC, p.interaction_id DESC`

// LoadTimeline returns limit interactions of a contact older than the cursor
// after (or the newest when after is ""), in one query.
func LoadTimeline(ctx context.Context, client *ent.Client, contactID int, after string, limit int) (*Timeline, error) {
	return LoadTimelineFiltered(ctx, client, contactID, TimelineFilter{}, after, limit)
}

// LoadTimelineFiltered is LoadTimeline of the interactions f keeps.
func LoadTimelineFiltered(ctx context.Context, client *ent.Client, contactID int, f TimelineFilter, after string, limit int) (*Timeline, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	args := []any{contactID}
	keyset := ""
	if after != "" {
		c, err := decodeCursor(after)
		if err != nil || c.At == nil {
			return nil, Errorf(EInvalid, "This page link is broken; reload the contact.")
		}
		// occurred_at <= $2 bounds the index range; the rest breaks ties.
		keyset = "AND p.occurred_at <= $2 AND (p.occurred_at < $2 OR p.interaction_id < $3)"
		args = append(args, c.At.UTC(), c.ID)
	}
	join, where, args := f.sql(args)
	rows, err := client.QueryContext(ctx, fmt.Sprintf(timelineQuery, join, keyset+where, limit+1), args...)
	if err != nil {
		return nil, fmt.Errorf("load timeline of contact %d: %w", contactID, err)
	}
	defer rows.Close()
	tl := &Timeline{}
	for rows.Next() {
		var e TimelineEntry
		var at sql.NullTime
		var links []byte
		if err := rows.Scan(&e.ID, &e.Type, &e.Direction, &e.Sentiment, &e.Subject, &e.Body, &e.Author, &at, &e.AuthorID, &links); err != nil {
			return nil, fmt.Errorf("scan timeline of contact %d: %w", contactID, err)
		}
		if len(links) > 0 {
			if err := json.Unmarshal(links, &e.Links); err != nil {
				return nil, fmt.Errorf("scan timeline of contact %d: links: %w", contactID, err)
			}
		}
		e.OccurredAt = at.Time
		tl.Entries = append(tl.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read timeline of contact %d: %w", contactID, err)
	}
	if len(tl.Entries) > limit {
		tl.Entries = tl.Entries[:limit]
		last := tl.Entries[limit-1]
		at := last.OccurredAt
		tl.Next = cursor{At: &at, ID: last.ID}.encode()
	}
	return tl, nil
}
