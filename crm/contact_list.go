package crm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/ent/user"
)

// Sort orders of the contact list.
const (
	SortName            = "name"
	SortLastInteraction = "last_interaction"
	SortReach           = "reach"
)

// ListParams filters, sorts and pages the contact list. Empty fields do not filter.
type ListParams struct {
	Q                               string // part of a name or e-mail
	Kind, Region, Topic, Tag, Stage string
	OwnerID                         int
	StageMin                        string // this stage or further up the ladder (coverage matrix links)
	Stale                           bool   // only contacts past their touch due date
	Sort                            string
	After                           string // cursor from a previous page's Next
	Limit                           int
}

// ContactPage is one page of the contact list.
type ContactPage struct {
	Contacts []*ent.Contact // with Owner and Employments.Outlet loaded
	Total    int            // matches over all pages
	Next     string         // cursor of the next page, "" on the last
}

// cursor is the sort key of the last row of a page.
type cursor struct {
	Last   string     `json:"l,omitempty"`
	First  string     `json:"f,omitempty"`
	At     *time.Time `json:"t,omitempty"`
	Reach  int64      `json:"r,omitempty"`
	Health int        `json:"h,omitempty"`
	ID     int        `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 {
		return c, Errorf(EInvalid, "This page link is broken; start again from the first page.")
	}
	return c, nil
}

// filters turns the params into predicates (without the cursor).
func (p ListParams) filters() []predicate.Contact {
	var ps []predicate.Contact
	if q := strings.TrimSpace(p.Q); q != "" {
		ps = append(ps, contact.Or(contact.FirstNameContainsFold(q), contact.LastNameContainsFold(q),
			contact.HasEmailsWith(contactemail.AddressContains(strings.ToLower(q)))))
	}
	if p.Kind != "" {
		ps = append(ps, contact.KindEQ(contact.Kind(p.Kind)))
	}
	if p.Region != "" {
		ps = append(ps, contact.Region(p.Region))
	}
	if p.Stage != "" {
		ps = append(ps, contact.StageEQ(contact.Stage(p.Stage)))
	}
	if p.OwnerID != 0 {
		ps = append(ps, contact.HasOwnerWith(user.ID(p.OwnerID)))
	}
	if keys := AtLeast(p.StageMin); len(keys) > 0 {
		ps = append(ps, contact.StageIn(toStages(keys)...))
	}
	if p.Stale {
		ps = append(ps, contact.TouchDueAtLT(timeNow().UTC()))
	}
	if p.Topic != "" {
		ps = append(ps, contact.HasTopicsWith(topic.Name(p.Topic)))
	}
	if p.Tag != "" {
		ps = append(ps, contact.HasTagsWith(tag.Name(p.Tag)))
	}
	return ps
}

// ListContacts returns one page of contacts, keyset-paged so that page 500 costs
// what page 1 costs.
func ListContacts(ctx context.Context, client *ent.Client, p ListParams) (*ContactPage, error) {
	if p.Limit <= 0 || p.Limit > 200 {
		p.Limit = 50
	}
	switch p.Sort {
	case SortName, SortLastInteraction, SortReach:
	default:
		p.Sort = SortName
	}
	where := p.filters()
	total, err := client.Contact.Query().Where(where...).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count contacts: %w", err)
	}
	q := client.Contact.Query().Where(where...).Limit(p.Limit + 1).
		WithOwner().WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() })
	if p.After != "" {
		c, err := decodeCursor(p.After)
		if err != nil {
			return nil, err
		}
		q.Where(after(p.Sort, c))
	}
	switch p.Sort {
	case SortName:
		q.Order(contact.ByLastName(), contact.ByFirstName(), contact.ByID())
	case SortLastInteraction:
		q.Order(contact.ByLastInteractionAt(sql.OrderDesc(), sql.OrderNullsLast()), contact.ByID(sql.OrderDesc()))
	case SortReach:
		q.Order(contact.ByReach(sql.OrderDesc()), contact.ByID(sql.OrderDesc()))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	page := &ContactPage{Contacts: rows, Total: total}
	if len(rows) > p.Limit {
		page.Contacts = rows[:p.Limit]
		last := page.Contacts[p.Limit-1]
		page.Next = cursor{Last: last.LastName, First: last.FirstName, At: last.LastInteractionAt, Reach: last.Reach, ID: last.ID}.encode()
	}
	return page, nil
}

// after is the keyset predicate: rows that sort after c.
func after(sort string, c cursor) predicate.Contact {
	switch sort {
	case SortLastInteraction:
		if c.At == nil { // already among the never-contacted, which sort last
			return contact.And(contact.LastInteractionAtIsNil(), contact.IDLT(c.ID))
		}
		return contact.Or(contact.LastInteractionAtLT(*c.At), contact.LastInteractionAtIsNil(),
			contact.And(contact.LastInteractionAt(*c.At), contact.IDLT(c.ID)))
	case SortReach:
		return contact.Or(contact.ReachLT(c.Reach), contact.And(contact.Reach(c.Reach), contact.IDLT(c.ID)))
	}
	return contact.Or(contact.LastNameGT(c.Last),
		contact.And(contact.LastName(c.Last), contact.FirstNameGT(c.First)),
		contact.And(contact.LastName(c.Last), contact.FirstName(c.First), contact.IDGT(c.ID)))
}

// FilterChoices are the values the contact list's filters offer.
type FilterChoices struct {
	Regions, Topics, Tags []string
	Owners                []*ent.User
}

// LoadFilterChoices reads the regions in use, all topics, tags and active users.
func LoadFilterChoices(ctx context.Context, client *ent.Client) (FilterChoices, error) {
	var fc FilterChoices
	var err error
	if fc.Regions, err = client.Contact.Query().Where(contact.RegionNEQ("")).GroupBy(contact.FieldRegion).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list regions: %w", err)
	}
	if fc.Topics, err = client.Topic.Query().Order(topic.ByName()).Select(topic.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list topics: %w", err)
	}
	if fc.Tags, err = client.Tag.Query().Order(tag.ByName()).Select(tag.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list tags: %w", err)
	}
	if fc.Owners, err = client.User.Query().Where(user.Active(true)).Order(user.ByName()).All(ctx); err != nil {
		return fc, fmt.Errorf("list users: %w", err)
	}
	sort.Strings(fc.Regions)
	return fc, nil
}
