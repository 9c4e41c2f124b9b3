package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
)

// ContactRef names a contact for a choice on a form.
type ContactRef struct {
	ID   int
	Name string
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
