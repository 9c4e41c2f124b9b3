package crm

import (
	"context"
	stdsql "database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/schema"
)

// Sort orders of the contact list.
const (
	SortName            = "name"
	SortLastInteraction = "last_interaction"
	SortReach           = "reach"
)

// ListParams pages the contact list. Selection is who is listed and in
// which order: the same definition segments and exports resolve, so a saved
// segment lists exactly the contacts it counts and exports.
type ListParams struct {
	Selection
	After string // cursor from a previous page's Next
	Limit int
	// Names also reads the names of each row's tags and topics (their
	// columns): correlated subqueries of the same statement.
	Names ListNames
}

// ListNames says which names of related records a list page reads.
type ListNames struct{ Tags, Topics bool }

// ContactPage is one page of the contact list.
type ContactPage struct {
	Rows  []ListRow
	Total int    // matches over all pages, at most TotalCap
	More  bool   // more than TotalCap match: Total is a lower bound
	Next  string // cursor of the next page, "" on the last
	deps  pageDeps
}

// TotalCap is the largest total a selection counts exactly (the list, a
// segment's count, the API's total); past it they say "1,000+", so that
// counting costs the same at 100,000 and 10,000,000. Counting is most of a
// filtered page's cost: a custom-field filter is evaluated on every row the
// count reads until it has TotalCap+1 matches (cap/selectivity rows: 40,000
// for a quarter of 100,000 at a cap of 10,000, 90 % of the statement's
// database time; docs/PERFORMANCE.md, issue 21), so the cap is the lever.
const TotalCap = 1_000

// ListRow is one contact as the list shows it: only the columns it needs,
// its owner's name and its outlets' names.
type ListRow struct {
	ID                               int
	FirstName, LastName, Kind, Title string
	City, Region, Stage              string
	Reach                            int64
	LastInteractionAt, TouchDueAt    *time.Time
	DoNotContact                     bool
	Health                           int
	LawfulBasis, ConsentState        string
	Owner                            string              // the owner's name, "" without one
	Outlets                          string              // outlet names in employment order, joined by ", "
	Tags, Topics                     string              // names in name order, joined by ", " (read when ListParams.Names asks)
	Custom                           schema.CustomValues // the custom fields' values
	sortLast, sortFirst              string              // the name's sort keys, for the cursor
}

// ListSort is sort if the contact list knows it, else SortName.
func ListSort(sort string) string {
	switch sort {
	case SortName, SortLastInteraction, SortReach:
		return sort
	}
	return SortName
}

// cursor is the sort key of the last row of a page.
type cursor struct {
	Last   string     `json:"l,omitempty"` // sort keys, not names
	First  string     `json:"f,omitempty"`
	At     *time.Time `json:"t,omitempty"`
	Reach  int64      `json:"r,omitempty"`
	Health int        `json:"h,omitempty"`
	ID     int        `json:"i"`
	Post   int        `json:"p,omitempty"` // the activity timeline: the last entry was this feed post
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

// MaxListLimit is the longest page List returns (a campaign's targets, 500
// a page); the contact list shows 50, the API at most 200.
const MaxListLimit = 500

// List returns one page of the selection's contacts in its order,
// keyset-paged so that page 500 costs what page 1 costs: the page with
// owners, outlets and the total (capped at TotalCap, an uncorrelated
// subquery the database runs once) in one statement. With a cache, the
// page (rows, total, cursor) of the same statement is remembered until the
// next write or the TTL; a campaign's targets are not cached, as pitches
// and status changes move them in raw SQL that no hook sees. The page is
// shared: read only.
func (s *Selections) List(ctx context.Context, p ListParams) (*ContactPage, error) {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	p.Limit = min(p.Limit, MaxListLimit)
	p.Sort = ListSort(p.Sort)
	where, err := s.where(ctx, p.Selection)
	if err != nil {
		return nil, err
	}
	capped := sql.Dialect(s.dialect).Select().From(sql.Table(contact.Table))
	capped.AppendSelectExpr(sql.Expr("1"))
	sel := listSelect(s.dialect, p.Names)
	for _, w := range where {
		w(capped)
		w(sel)
	}
	capped.Limit(TotalCap + 1)
	count := sql.Dialect(s.dialect).Select(sql.Count("*")).From(capped.As("capped"))
	countQ, countArgs := count.Query() // before count is embedded, which numbers its arguments on
	sel.AppendSelectExprAs(count, "total")
	if p.After != "" {
		c, err := decodeCursor(p.After)
		if err != nil {
			return nil, err
		}
		after(p.Sort, c)(sel)
	}
	orderBy(sel, p.Sort)
	sel.Limit(p.Limit + 1)
	pageQ, pageArgs := sel.Query()
	deps := depsOf(p.Selection, s.text == nil)
	load := func(ctx context.Context) (*ContactPage, error) {
		page, err := loadContactPage(ctx, s.client, pageQ, pageArgs, p.Limit)
		if page != nil {
			page.deps = deps
		}
		if err != nil || len(page.Rows) > 0 || p.After == "" {
			return page, err
		}
		// Past the last row (the rows changed since the link was made): the
		// page has no row to carry the total, so count on its own.
		err = scanRowsArgs(ctx, s.client, countQ, countArgs, func(scan func(...any) error) error { return scan(&page.Total) })
		if err != nil {
			return nil, fmt.Errorf("count contacts: %w", err)
		}
		page.Total, page.More = min(page.Total, TotalCap), page.Total > TotalCap
		return page, nil
	}
	if s.cache == nil || p.Filter.Campaign != nil {
		return load(ctx)
	}
	return s.cache.page(ctx, cacheKey(pageQ, pageArgs), load)
}

// loadContactPage runs the page statement of List (rows and total).
func loadContactPage(ctx context.Context, client *ent.Client, pageQ string, pageArgs []any, limit int) (*ContactPage, error) {
	n := 0
	rows, err := queryListRows(ctx, client, pageQ, pageArgs, limit+1, &n)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	page := &ContactPage{Rows: rows, Total: n}
	if n > TotalCap {
		page.Total, page.More = TotalCap, true
	}
	if len(rows) > limit {
		page.Rows = rows[:limit:limit]
		last := &page.Rows[limit-1]
		page.Next = cursor{Last: last.sortLast, First: last.sortFirst, At: last.LastInteractionAt, Reach: last.Reach, ID: last.ID}.encode()
	}
	return page, nil
}

// cacheKey identifies a statement with its arguments.
func cacheKey(q string, args []any) string {
	var b strings.Builder
	b.WriteString(q)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%T:%v", a, a)
	}
	return b.String()
}

// listSelect selects what the list shows of each contact: its columns, the
// owner's name and the outlets' names (in employment order) and, when names
// asks, the tags' and topics' names as correlated subqueries, so a page is
// one statement whatever its columns.
func listSelect(dia string, names ListNames) *sql.Selector {
	t := sql.Table(contact.Table)
	sel := sql.Dialect(dia).Select().From(t)
	id := sel.C(contact.FieldID)
	sel.Select(id, sel.C(contact.FieldFirstName), sel.C(contact.FieldLastName), sel.C(contact.FieldKind), sel.C(contact.FieldTitle),
		sel.C(contact.FieldCity), sel.C(contact.FieldRegion), sel.C(contact.FieldStage), sel.C(contact.FieldReach),
		sel.C(contact.FieldLastInteractionAt), sel.C(contact.FieldTouchDueAt), sel.C(contact.FieldDoNotContact), sel.C(contact.FieldHealth),
		sel.C(contact.FieldLawfulBasis), sel.C(contact.FieldConsentState),
		sel.C(contact.FieldSortLast), sel.C(contact.FieldSortFirst), sel.C(contact.FieldCustom))
	tags, topics := "NULL", "NULL"
	if names.Tags {
		tags = namesOf(dia, "contact_tags", "tag_id", "tags", id)
	}
	if names.Topics {
		topics = namesOf(dia, "contact_topics", "topic_id", "topics", id)
	}
	sel.AppendSelectExpr(sql.Expr("(SELECT u.name FROM users u WHERE u.id = "+sel.C(contact.FieldOwnerID)+")"),
		sql.Expr(outletNames(dia, id)), sql.Expr(tags), sql.Expr(topics))
	return sel
}

// queryListRows runs a listSelect statement; extra scans the columns the
// statement adds (each row's values overwrite the last's).
func queryListRows(ctx context.Context, client *ent.Client, q string, args []any, capacity int, extra ...any) ([]ListRow, error) {
	out := make([]ListRow, 0, capacity)
	var (
		lastAt, dueAt                stdsql.NullTime
		owner, outlets, tags, topics stdsql.NullString
		custom                       []byte
	)
	err := scanRowsArgs(ctx, client, q, args, func(scan func(...any) error) error {
		var r ListRow
		dest := append([]any{&r.ID, &r.FirstName, &r.LastName, &r.Kind, &r.Title, &r.City, &r.Region, &r.Stage, &r.Reach,
			&lastAt, &dueAt, &r.DoNotContact, &r.Health, &r.LawfulBasis, &r.ConsentState, &r.sortLast, &r.sortFirst, &custom,
			&owner, &outlets, &tags, &topics}, extra...)
		if err := scan(dest...); err != nil {
			return err
		}
		if lastAt.Valid {
			t := lastAt.Time
			r.LastInteractionAt = &t
		}
		if dueAt.Valid {
			t := dueAt.Time
			r.TouchDueAt = &t
		}
		r.Owner, r.Outlets, r.Tags, r.Topics = owner.String, outlets.String, tags.String, topics.String
		if len(custom) > 0 && string(custom) != "null" {
			if err := json.Unmarshal(custom, &r.Custom); err != nil {
				return fmt.Errorf("contact %d: custom values: %w", r.ID, err)
			}
			r.Custom = normalizeCustom(r.Custom)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// ListRowsByIDs loads the list rows of ids in the order of ids (search hits);
// ids without a contact (deleted since the index saw them) are left out.
// names asks for the tags' and topics' names, as List's.
func (s *Selections) ListRowsByIDs(ctx context.Context, ids []int, names ListNames) ([]ListRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	client, dia := s.client, s.dialect
	sel := listSelect(dia, names)
	s.idIn(idSetOf(ids, dia))(sel) // one argument: the same text for every page, prepared once (db/prepared.go)
	q, args := sel.Query()
	rows, err := queryListRows(ctx, client, q, args, len(ids))
	if err != nil {
		return nil, fmt.Errorf("load search hits: %w", err)
	}
	pos := make(map[int]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	sort.Slice(rows, func(i, j int) bool { return pos[rows[i].ID] < pos[rows[j].ID] })
	return rows, nil
}

// scanRows runs query and calls row for each result row.
func scanRows(ctx context.Context, client *ent.Client, query string, row func(scan func(...any) error) error) error {
	return scanRowsArgs(ctx, client, query, nil, row)
}

// scanRowsArgs runs query with args and calls row for each result row.
func scanRowsArgs(ctx context.Context, client *ent.Client, query string, args []any, row func(scan func(...any) error) error) error {
	rs, err := client.QueryContext(ctx, query, args...)
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
	case SortHealth:
		return contact.Or(contact.HealthLT(c.Health), contact.And(contact.Health(c.Health), contact.IDLT(c.ID)))
	}
	return contact.Or(contact.SortLastGT(c.Last),
		contact.And(contact.SortLast(c.Last), contact.SortFirstGT(c.First)),
		contact.And(contact.SortLast(c.Last), contact.SortFirst(c.First), contact.IDGT(c.ID)))
}
