package crm

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/employment"
)

// ContactRef names a contact for a choice on a form.
type ContactRef struct {
	ID   int
	Name string
}

// Colleagues are up to limit other contacts who work at one of contactID's
// outlets, by name: the people a meeting or a call often includes, offered
// on the log-an-interaction form.
func Colleagues(ctx context.Context, client *ent.Client, contactID, limit int) ([]ContactRef, error) {
	// one statement: the contacts employed where contactID is
	sameOutlet := func(s *sql.Selector) {
		e, mine := sql.Table(employment.Table).As("e"), sql.Table(employment.Table).As("mine")
		s.Where(sql.Exists(sql.Select(e.C(employment.FieldID)).From(e).
			Join(mine).On(mine.C(employment.FieldOutletID), e.C(employment.FieldOutletID)).
			Where(sql.And(sql.ColumnsEQ(e.C(employment.FieldContactID), s.C(contact.FieldID)),
				sql.EQ(mine.C(employment.FieldContactID), contactID)))))
	}
	cs, err := client.Contact.Query().Where(contact.IDNEQ(contactID), sameOutlet).
		Order(ent.Asc(contact.FieldSortLast), ent.Asc(contact.FieldSortFirst), ent.Asc(contact.FieldID)).Limit(limit).
		Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("colleagues of contact %d: %w", contactID, err)
	}
	out := make([]ContactRef, len(cs))
	for i, c := range cs {
		out[i] = ContactRef{ID: c.ID, Name: DisplayName(c.FirstName, c.LastName)}
	}
	return out, nil
}

// ContactIDsByEmail finds the contacts with the given e-mail addresses (at
// most MaxInteractionContacts); the addresses nobody has come back in unknown.
func ContactIDsByEmail(ctx context.Context, client *ent.Client, emails []string) (ids []int, unknown []string, err error) {
	var norm []string
	for _, e := range emails {
		if e = NormalizeEmail(e); e != "" {
			norm = append(norm, e)
		}
	}
	if len(norm) == 0 {
		return nil, nil, nil
	}
	if len(norm) > MaxInteractionContacts {
		return nil, nil, (FieldErrors{"also": fmt.Sprintf("At most %d contacts per interaction.", MaxInteractionContacts)}).Err()
	}
	rows, err := client.ContactEmail.Query().Where(contactemail.AddressIn(norm...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("contacts by e-mail: %w", err)
	}
	found := map[string]int{}
	for _, r := range rows {
		found[r.Address] = r.ContactID
	}
	for _, e := range norm {
		if id, ok := found[e]; ok {
			ids = append(ids, id)
		} else {
			unknown = append(unknown, e)
		}
	}
	return ids, unknown, nil
}
