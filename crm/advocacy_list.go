package crm

import (
	"context"
	"fmt"
	"sort"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/schema"
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

// Selection is who the advocate list shows: the approved advocates, with
// the list's filters as a selection's, so that the list means what a
// segment of the same filters means.
func (p AdvocateParams) Selection() Selection {
	f := schema.SegmentFilter{Stages: []string{string(contact.StageAdvocate)}}
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	f.Regions, f.Topics, f.Platforms = one(p.Region), one(p.Topic), one(p.Platform)
	if p.OwnerID != 0 {
		f.Owners = []int{p.OwnerID}
	}
	if p.HealthMin > 0 {
		f.MinHealth = &p.HealthMin
	}
	if p.HealthMax > 0 && p.HealthMax < 100 {
		f.MaxHealth = &p.HealthMax
	}
	if p.Stale {
		f.Stale = &p.Stale
	}
	sort := p.Sort
	switch sort {
	case SortReach, SortHealth, SortLastInteraction:
	default:
		sort = SortReach
	}
	return Selection{Filter: f, Sort: sort}
}

// ListAdvocates returns one keyset page of the approved advocates.
func (s *Selections) ListAdvocates(ctx context.Context, p AdvocateParams) (*AdvocatePage, error) {
	if p.Limit <= 0 || p.Limit > 200 {
		p.Limit = 50
	}
	sel := p.Selection()
	where, err := s.where(ctx, sel)
	if err != nil {
		return nil, err
	}
	total, err := s.client.Contact.Query().Where(where...).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count advocates: %w", err)
	}
	// Topics and channels in a stated order, as on the contact page: without
	// one, each database returns the join's rows in its own order.
	q := s.client.Contact.Query().Where(where...).Limit(p.Limit + 1).WithOwner().
		WithTopics(func(q *ent.TopicQuery) { q.Order(topic.ByName(), topic.ByID()) }).
		WithChannels(func(q *ent.SocialProfileQuery) {
			q.Order(socialprofile.ByFollowers(sql.OrderDesc()), socialprofile.ByID())
		})
	if p.After != "" {
		c, err := decodeCursor(p.After)
		if err != nil {
			return nil, err
		}
		q.Where(after(sel.Sort, c))
	}
	rows, err := q.Order(func(q *sql.Selector) { orderBy(q, sel.Sort) }).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list advocates: %w", err)
	}
	page := &AdvocatePage{Contacts: rows, Total: total}
	if len(rows) > p.Limit {
		page.Contacts = rows[:p.Limit]
		last := page.Contacts[p.Limit-1]
		page.Next = cursor{Last: last.SortLast, First: last.SortFirst, At: last.LastInteractionAt, Reach: last.Reach, Health: last.Health, ID: last.ID}.encode()
	}
	return page, nil
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
