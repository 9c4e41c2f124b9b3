package crm

import (
	"context"
	"fmt"
	"sort"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
)

// Sort orders of the advocate list (reach is SortReach, last touch SortLastInteraction).
const SortHealth = "health"

// AdvocateParams filters, sorts and pages the advocate list.
type AdvocateParams struct {
	Region, Topic, Platform string
	OwnerID                 int
	HealthMin, HealthMax    int // 0–100; HealthMax 0 means 100
	Stale                   bool
	Sort                    string // reach (default), health, last_interaction
	After                   string
	Limit                   int
}

// AdvocatePage is one page of the advocate list.
type AdvocatePage struct {
	Contacts []*ent.Contact // with Owner, Topics and Channels loaded
	Total    int
	Next     string
}

func (p AdvocateParams) filters(now time.Time) []predicate.Contact {
	ps := []predicate.Contact{contact.StageEQ(contact.StageAdvocate)}
	if p.Region != "" {
		ps = append(ps, contact.Region(p.Region))
	}
	if p.Topic != "" {
		ps = append(ps, contact.HasTopicsWith(topic.Name(p.Topic)))
	}
	if p.Platform != "" {
		ps = append(ps, contact.HasChannelsWith(socialprofile.PlatformEQ(socialprofile.Platform(p.Platform))))
	}
	if p.OwnerID != 0 {
		ps = append(ps, contact.OwnerID(p.OwnerID))
	}
	if p.HealthMin > 0 {
		ps = append(ps, contact.HealthGTE(p.HealthMin))
	}
	if p.HealthMax > 0 && p.HealthMax < 100 {
		ps = append(ps, contact.HealthLTE(p.HealthMax))
	}
	if p.Stale {
		ps = append(ps, contact.TouchDueAtLT(now.UTC()))
	}
	return ps
}

// ListAdvocates returns one keyset page of the approved advocates.
func ListAdvocates(ctx context.Context, client *ent.Client, p AdvocateParams, now time.Time) (*AdvocatePage, error) {
	if p.Limit <= 0 || p.Limit > 200 {
		p.Limit = 50
	}
	switch p.Sort {
	case SortReach, SortHealth, SortLastInteraction:
	default:
		p.Sort = SortReach
	}
	where := p.filters(now)
	total, err := client.Contact.Query().Where(where...).Aggregate(ent.Count()).Int(ctx)
	if err != nil {
		return nil, fmt.Errorf("count advocates: %w", err)
	}
	// Topics and channels in a stated order, as on the contact page: without
	// one, each database returns the join's rows in its own order.
	q := client.Contact.Query().Where(where...).Limit(p.Limit + 1).WithOwner().
		WithTopics(func(q *ent.TopicQuery) { q.Order(topic.ByName(), topic.ByID()) }).
		WithChannels(func(q *ent.SocialProfileQuery) {
			q.Order(socialprofile.ByFollowers(sql.OrderDesc()), socialprofile.ByID())
		})
	if p.After != "" {
		c, err := decodeCursor(p.After)
		if err != nil {
			return nil, err
		}
		q.Where(advocateAfter(p.Sort, c))
	}
	switch p.Sort {
	case SortHealth:
		q.Order(contact.ByHealth(sql.OrderDesc()), contact.ByID(sql.OrderDesc()))
	case SortLastInteraction:
		q.Order(contact.ByLastInteractionAt(sql.OrderDesc(), sql.OrderNullsLast()), contact.ByID(sql.OrderDesc()))
	default:
		q.Order(contact.ByReach(sql.OrderDesc()), contact.ByID(sql.OrderDesc()))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list advocates: %w", err)
	}
	page := &AdvocatePage{Contacts: rows, Total: total}
	if len(rows) > p.Limit {
		page.Contacts = rows[:p.Limit]
		last := page.Contacts[p.Limit-1]
		page.Next = cursor{At: last.LastInteractionAt, Reach: last.Reach, Health: last.Health, ID: last.ID}.encode()
	}
	return page, nil
}

// advocateAfter is the keyset predicate of the advocate list's sorts.
func advocateAfter(sort string, c cursor) predicate.Contact {
	if sort == SortHealth {
		return contact.Or(contact.HealthLT(c.Health), contact.And(contact.Health(c.Health), contact.IDLT(c.ID)))
	}
	return after(sort, c)
}

// LoadAdvocateChoices reads the advocate list's filter choices: the regions
// where advocates are (not every region in use: that would read every
// contact), all topics and the active users.
func LoadAdvocateChoices(ctx context.Context, client *ent.Client) (FilterChoices, error) {
	var fc FilterChoices
	var err error
	if fc.Regions, err = client.Contact.Query().Where(contact.StageEQ(contact.StageAdvocate), contact.RegionNEQ("")).
		GroupBy(contact.FieldRegion).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list advocate regions: %w", err)
	}
	if fc.Topics, err = client.Topic.Query().Order(topic.ByName()).Select(topic.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list topics: %w", err)
	}
	if fc.Owners, err = client.User.Query().Where(user.Active(true)).Order(user.ByName()).All(ctx); err != nil {
		return fc, fmt.Errorf("list users: %w", err)
	}
	sort.Strings(fc.Regions)
	return fc, nil
}
