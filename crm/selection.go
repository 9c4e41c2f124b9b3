package crm

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/search"
)

// Selection is who a segment, a list or an export means: free text plus
// filters, and the order they are listed in (Sort: SortName, the default,
// SortLastInteraction, SortReach or SortHealth).
type Selection struct {
	Query  string
	Filter schema.SegmentFilter
	Sort   string
}

// TextMatcher finds the contacts whose search documents match free text.
// The search engine implements it; without one, text matches names and
// e-mail addresses in the database.
type TextMatcher interface {
	MatchIDs(ctx context.Context, query string) ([]int, error)
}

// Selections resolves selections: the one way a Selection becomes SQL, for
// the contact list and a segment's page, the advocate list, a campaign's targets, a segment's
// count and an export, so that they all mean the same people. Filters are
// Predicates; free text is the ids the search index matches (TextMatcher),
// passed to the database as one array parameter; only without an index
// (the command line) does text match names and e-mail addresses in SQL.
type Selections struct {
	client  *ent.Client
	dialect string
	now     func() time.Time
	text    TextMatcher  // nil: names and e-mails in SQL
	cache   *Lookups     // nil: nothing cached
	matches *Memo[[]int] // the index's answer per text, while cache trusts it
	counts  *Memo[int]   // segment counts per selection, while cache trusts them
}

// NewSelections returns the resolver of client, which speaks dialect. text
// may be nil (no index); cache may be nil (nothing remembered). Wire the
// index's change notifications to cache.Invalidate: remembered text
// matches are then dropped when the index moves.
func NewSelections(client *ent.Client, dia string, now func() time.Time, text TextMatcher, cache *Lookups) *Selections {
	if now == nil {
		now = time.Now
	}
	s := &Selections{client: client, dialect: dia, now: now, text: text, cache: cache}
	if cache != nil {
		s.matches = newMemo(cache, lookupPagesMax, scope[[]int]{gen: cache.matchesGen})
		s.counts = newMemo(cache, lookupPagesMax, scope[int]{gen: cache.anyWriteGen})
	}
	return s
}

// clock is the time selections judge staleness by: to the minute, so that
// the statement and its arguments (which key the list cache) repeat.
func (s *Selections) clock() time.Time { return s.now().Truncate(time.Minute) }

// where turns sel into contact predicates: the filters, and the free text.
func (s *Selections) where(ctx context.Context, sel Selection) ([]predicate.Contact, error) {
	ps := Predicates(sel.Filter, s.clock())
	if sel.Filter.Campaign != nil {
		ps = append(ps, targetsOf(ctx, sel.Filter))
	}
	q := strings.TrimSpace(sel.Query)
	if q == "" {
		return ps, nil
	}
	if s.text == nil {
		return append(ps, textInSQL(q)), nil
	}
	ids, err := s.matchIDs(ctx, q)
	if errors.Is(err, search.ErrBuilding) {
		return append(ps, textInSQL(q)), nil // until the index is built: names and e-mail addresses
	}
	if err != nil {
		return nil, fmt.Errorf("resolve selection: %w", err)
	}
	return append(ps, s.idIn(idSet{ids: ids, dialect: s.dialect, key: "match:" + q})), nil
}

// textInSQL is free text without an index: a name or an e-mail address
// contains it. The command line has no index; the web has one, but while
// it is being built in the background (search.ErrBuilding) lists use this.
func textInSQL(q string) predicate.Contact {
	return contact.Or(contact.FirstNameContainsFold(q), contact.LastNameContainsFold(q),
		contact.HasEmailsWith(contactemail.AddressContains(strings.ToLower(q))))
}

// matchIDs asks the index, or the cache of its answers.
func (s *Selections) matchIDs(ctx context.Context, q string) ([]int, error) {
	if s.matches == nil {
		return s.text.MatchIDs(ctx, q)
	}
	return s.matches.Get(ctx, q, func(ctx context.Context) ([]int, error) { return s.text.MatchIDs(ctx, q) })
}

// idSet is a list of ids passed as one statement argument: a PostgreSQL
// array literal, a JSON array for SQLite's json_each. Its String (which
// keys the list cache) names the text it came from, not the ids.
type idSet struct {
	ids     []int
	dialect string
	key     string
}

// Value implements driver.Valuer.
func (a idSet) Value() (driver.Value, error) {
	open, end := byte('['), byte(']')
	if a.dialect == dialect.Postgres {
		open, end = '{', '}'
	}
	b := make([]byte, 0, 2+8*len(a.ids))
	b = append(b, open)
	for i, id := range a.ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(id), 10)
	}
	return string(append(b, end)), nil
}

func (a idSet) String() string { return a.key }

// idSetOf is ids as one argument, keyed by their number and a hash of them.
func idSetOf(ids []int, dia string) idSet {
	h := fnv.New64a()
	for _, id := range ids {
		h.Write(strconv.AppendInt(nil, int64(id), 10))
		h.Write([]byte{','})
	}
	return idSet{ids: ids, dialect: dia, key: fmt.Sprintf("ids:%d:%x", len(ids), h.Sum64())}
}

// idIn keeps the contacts whose id is in ids.
func (s *Selections) idIn(ids idSet) predicate.Contact {
	return func(sel *sql.Selector) {
		col := sel.C(contact.FieldID)
		sel.Where(sql.P(func(b *sql.Builder) {
			if s.dialect == dialect.Postgres {
				b.WriteString(col + " = ANY(").Arg(ids).WriteString("::bigint[])")
			} else {
				b.WriteString(col + " IN (SELECT value FROM json_each(").Arg(ids).WriteString("))")
			}
		}))
	}
}

// orderBy orders sel as sort says; every order ends in id, so it is total.
func orderBy(sel *sql.Selector, sort string) {
	switch sort {
	case SortLastInteraction:
		sel.OrderExpr(sql.Expr(sel.C(contact.FieldLastInteractionAt)+" DESC NULLS LAST"), sql.Expr(sel.C(contact.FieldID)+" DESC"))
	case SortReach:
		sel.OrderBy(sql.Desc(sel.C(contact.FieldReach)), sql.Desc(sel.C(contact.FieldID)))
	case SortHealth:
		sel.OrderBy(sql.Desc(sel.C(contact.FieldHealth)), sql.Desc(sel.C(contact.FieldID)))
	default:
		sel.OrderBy(sel.C(contact.FieldSortLast), sel.C(contact.FieldSortFirst), sel.C(contact.FieldID))
	}
}

// sortOf is sort if the lists know it, else the name order.
func sortOf(sort string) string {
	switch sort {
	case SortName, SortLastInteraction, SortReach, SortHealth:
		return sort
	}
	return SortName
}

// Count is how many contacts sel holds (before an export's exclusions).
func (s *Selections) Count(ctx context.Context, sel Selection, limit int) (int, error) {
	where, err := s.where(ctx, sel)
	if err != nil {
		return 0, err
	}
	q := sql.Dialect(s.dialect).Select(sql.Count("*")).From(sql.Table(contact.Table))
	for _, w := range where {
		w(q)
	}
	if limit > 0 { // count at most limit rows: the same cost at 100,000 as at 10,000
		inner := sql.Dialect(s.dialect).Select().AppendSelectExpr(sql.Expr("1")).From(sql.Table(contact.Table))
		for _, w := range where {
			w(inner)
		}
		inner.Limit(limit)
		q = sql.Dialect(s.dialect).Select(sql.Count("*")).From(inner.As("capped"))
	}
	query, args := q.Query()
	n := 0
	if err := scanRowsArgs(ctx, s.client, query, args, func(scan func(...any) error) error { return scan(&n) }); err != nil {
		return 0, fmt.Errorf("count selection: %w", err)
	}
	return n, nil
}

// SetSortKeys sets the name sort keys of a contact being written from its
// names (sortkey.Key); every writer of names calls it.
func SetSortKeys(m *ent.ContactMutation, first, last string) {
	m.SetSortFirst(sortkey.Key(first))
	m.SetSortLast(sortkey.Key(last))
}
