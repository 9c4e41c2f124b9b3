package crm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
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
	// Selection is who is listed: the same definition segments and exports
	// resolve, so a saved segment lists exactly the contacts it counts. Its
	// Query matches names and e-mails here; the search engine takes over
	// free text where there is one.
	Selection
	Sort  string
	After string // cursor from a previous page's Next
	Limit int
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
	ps := Predicates(p.Filter, timeNow())
	if q := strings.TrimSpace(p.Query); q != "" {
		ps = append(ps, contact.Or(contact.FirstNameContainsFold(q), contact.LastNameContainsFold(q),
			contact.HasEmailsWith(contactemail.AddressContains(strings.ToLower(q)))))
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
	q := client.Contact.Query().Where(where...).Limit(p.Limit + 1)
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
	if err := loadListEdges(ctx, client, rows); err != nil {
		return nil, err
	}
	page := &ContactPage{Contacts: rows, Total: total}
	if len(rows) > p.Limit {
		page.Contacts = rows[:p.Limit]
		last := page.Contacts[p.Limit-1]
		page.Next = cursor{Last: last.LastName, First: last.FirstName, At: last.LastInteractionAt, Reach: last.Reach, ID: last.ID}.encode()
	}
	return page, nil
}

// loadListEdges sets what the list shows of each contact's edges, in two
// queries instead of ent's three eager loads (owners, employments, outlets):
// Owner with its id and name, and Employments (ordered by id) with their
// Outlet's id and name. The ids are integers from the database, written into
// the SQL, so the statements are the same on PostgreSQL and SQLite.
func loadListEdges(ctx context.Context, client *ent.Client, rows []*ent.Contact) error {
	if len(rows) == 0 {
		return nil
	}
	byID := make(map[int]*ent.Contact, len(rows))
	var contactIDs, ownerIDs []string
	owners := map[int][]*ent.Contact{}
	for _, c := range rows {
		byID[c.ID] = c
		contactIDs = append(contactIDs, strconv.Itoa(c.ID))
		c.Edges.Employments = []*ent.Employment{}
		if c.OwnerID != nil {
			if owners[*c.OwnerID] == nil {
				ownerIDs = append(ownerIDs, strconv.Itoa(*c.OwnerID))
			}
			owners[*c.OwnerID] = append(owners[*c.OwnerID], c)
		}
	}
	if len(ownerIDs) > 0 {
		err := scanRows(ctx, client, "SELECT id, name FROM users WHERE id IN ("+strings.Join(ownerIDs, ",")+")", func(scan func(...any) error) error {
			u := &ent.User{}
			if err := scan(&u.ID, &u.Name); err != nil {
				return err
			}
			for _, c := range owners[u.ID] {
				c.Edges.Owner = u
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("list contacts' owners: %w", err)
		}
	}
	err := scanRows(ctx, client, `SELECT m.id, m.contact_id, m.outlet_id, m.role, o.name FROM employments m
JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id IN (`+strings.Join(contactIDs, ",")+`) ORDER BY m.id`, func(scan func(...any) error) error {
		e := &ent.Employment{}
		o := &ent.Outlet{}
		if err := scan(&e.ID, &e.ContactID, &e.OutletID, &e.Role, &o.Name); err != nil {
			return err
		}
		o.ID, e.Edges.Outlet = e.OutletID, o
		if c := byID[e.ContactID]; c != nil {
			c.Edges.Employments = append(c.Edges.Employments, e)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list contacts' outlets: %w", err)
	}
	return nil
}

// scanRows runs query and calls row for each result row.
func scanRows(ctx context.Context, client *ent.Client, query string, row func(scan func(...any) error) error) error {
	rs, err := client.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := row(rs.Scan); err != nil {
			return err
		}
	}
	return rs.Err()
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
	if fc.Regions, err = regionsInUse(ctx, client); err != nil {
		return fc, fmt.Errorf("list regions: %w", err)
	}
	if fc.Topics, err = client.Topic.Query().Order(topic.ByName()).Select(topic.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list topics: %w", err)
	}
	if fc.Tags, err = client.Tag.Query().Order(tag.ByName()).Select(tag.FieldName).Strings(ctx); err != nil {
		return fc, fmt.Errorf("list tags: %w", err)
	}
	if fc.Owners, err = client.User.Query().Where(user.Active(true)).Order(user.ByName()).Select(user.FieldID, user.FieldName).All(ctx); err != nil {
		return fc, fmt.Errorf("list users: %w", err)
	}
	sort.Strings(fc.Regions)
	return fc, nil
}

// regionsQuery lists the distinct regions of contacts by skipping through
// the index on contacts.region (a "loose index scan"): one index probe per
// region instead of a scan of every contact, so it costs the same at 10,000
// and at 1,000,000 contacts. PostgreSQL and SQLite both run it.
const regionsQuery = `WITH RECURSIVE r(region) AS (
	SELECT MIN(region) FROM contacts WHERE region > ''
	UNION ALL
	SELECT (SELECT MIN(c.region) FROM contacts c WHERE c.region > r.region) FROM r WHERE r.region IS NOT NULL
) SELECT region FROM r WHERE region IS NOT NULL`

func regionsInUse(ctx context.Context, client *ent.Client) ([]string, error) {
	var out []string
	err := scanRows(ctx, client, regionsQuery, func(scan func(...any) error) error {
		var r string
		if err := scan(&r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}
