package crm

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// OutletSummary is an outlet with the number of people linked to it.
type OutletSummary struct {
	ID                 int
	Name, Type, Region string
	People             int
}

// OutletPage is one page of outlets ordered by id.
type OutletPage struct {
	Outlets   []OutletSummary
	Total     int
	NextAfter int // id to continue after, 0 on the last page
}

// ListOutlets lists outlets whose name contains q, ordered by name then id,
// keyset-paged by id within that order is not stable, so pages go by id.
func ListOutlets(ctx context.Context, client *ent.Client, q string, after, limit int) (*OutletPage, error) {
	var where []predicate.Outlet
	if q = strings.TrimSpace(q); q != "" {
		where = append(where, outlet.NameContainsFold(q))
	}
	total, err := client.Outlet.Query().Where(where...).Aggregate(ent.Count()).Int(ctx)
	if err != nil {
		return nil, fmt.Errorf("count outlets: %w", err)
	}
	var rows []OutletSummary
	err = client.Outlet.Query().Where(append(where, outlet.IDGT(after))...).Order(outlet.ByID()).Limit(limit+1).
		Modify(func(s *sql.Selector) {
			e := sql.Table(employment.Table)
			s.LeftJoin(e).On(s.C(outlet.FieldID), e.C(employment.FieldOutletID)).
				GroupBy(s.C(outlet.FieldID), s.C(outlet.FieldName), s.C(outlet.FieldType), s.C(outlet.FieldRegion)).
				Select(sql.As(s.C(outlet.FieldID), "id"), sql.As(s.C(outlet.FieldName), "name"),
					sql.As(s.C(outlet.FieldType), "type"), sql.As(s.C(outlet.FieldRegion), "region"),
					sql.As(sql.Count(e.C(employment.FieldID)), "people"))
		}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list outlets: %w", err)
	}
	page := &OutletPage{Outlets: rows, Total: total}
	if len(rows) > limit {
		page.Outlets = rows[:limit]
		page.NextAfter = rows[limit-1].ID
	}
	return page, nil
}

// LoadOutlet returns an outlet and its jobs with their contacts, by name.
func LoadOutlet(ctx context.Context, client *ent.Client, id int) (*ent.Outlet, []*ent.Employment, error) {
	o, err := client.Outlet.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil, Errorf(ENotFound, "This outlet does not exist (any more).")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load outlet %d: %w", id, err)
	}
	jobs, err := client.Employment.Query().Where(employment.OutletID(id)).WithContact().
		Order(employment.ByContactField(contact.FieldLastName), employment.ByID()).Limit(1000).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load people of outlet %d: %w", id, err)
	}
	return o, jobs, nil
}
