package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/user"
)

// ContactsByIDs loads the contacts ids, with Owner and Employments.Outlet,
// in the order of ids. Search hits are rendered from these rows: the index
// only says which contacts match. Ids without a contact (deleted since the
// index saw them) are left out.
func ContactsByIDs(ctx context.Context, client *ent.Client, ids []int) ([]*ent.Contact, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := client.Contact.Query().Where(contact.IDIn(ids...)).
		WithOwner().WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load search hits: %w", err)
	}
	byID := make(map[int]*ent.Contact, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]*ent.Contact, 0, len(rows))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// UserNames returns the names of the users ids (a facet of owners shows them).
func UserNames(ctx context.Context, client *ent.Client, ids []int) (map[int]string, error) {
	names := map[int]string{}
	if len(ids) == 0 {
		return names, nil
	}
	us, err := client.User.Query().Where(user.IDIn(ids...)).Select(user.FieldID, user.FieldName).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load user names: %w", err)
	}
	for _, u := range us {
		names[u.ID] = u.Name
	}
	return names, nil
}
