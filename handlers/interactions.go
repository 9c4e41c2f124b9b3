package handlers

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Interactions logs touch points.
type Interactions struct {
	client   *ent.Client
	contacts *Contacts
}

// NewInteractions returns the interaction handlers.
func NewInteractions(client *ent.Client) *Interactions {
	return &Interactions{client: client, contacts: NewContacts(client)}
}

// Create logs an interaction with the contact of the path and whoever else
// took part (ticked colleagues, e-mail addresses) and returns to its page.
func (h *Interactions) Create(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := interactionForm(c)
	f.Also = c.FormValue("also")
	in := interactionInput(f)
	in.FollowUp = followUp(f)
	in.ContactIDs = append([]int{id}, formInts(c.Request().Form["with"])...)
	f.With = in.ContactIDs[1:]
	ctx := c.Request().Context()
	more, unknown, err := crm.ContactIDsByEmail(ctx, h.client, strings.FieldsFunc(f.Also, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == ' ' }))
	if err == nil && len(unknown) > 0 {
		err = (crm.FieldErrors{"also": "No contact has the address " + strings.Join(unknown, ", ") + "."}).Err()
	}
	if err == nil {
		in.ContactIDs = append(in.ContactIDs, more...)
		_, err = crm.LogInteraction(ctx, h.client, currentUser(c).UserID, in)
	}
	if fields := fieldErrors(err); fields != nil {
		return h.contacts.contactInvalid(c, id, fields, func(p *pages.ContactProps) { p.Interaction = f })
	}
	if err != nil {
		return err
	}
	if n := len(uniqueIDs(in.ContactIDs)); n > 1 {
		return redirect(c, routes.URL(routes.ContactShow, id)+"#timeline-head", "Interaction logged for {{.N}} contacts.", "N", n)
	}
	return redirect(c, routes.URL(routes.ContactShow, id)+"#timeline-head", "Interaction logged.")
}

func uniqueIDs(ids []int) map[int]bool {
	m := map[int]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// followUp reads the follow-up options of the interaction form; a number of
// days that is not a number is refused by validation as out of range.
func followUp(f pages.InteractionForm) crm.FollowUp {
	fu := crm.FollowUp{CompleteOpen: f.CompleteFollowUp}
	if d := strings.TrimSpace(f.NextInDays); d != "" {
		if n, err := strconv.Atoi(d); err == nil {
			fu.NextInDays = n
		} else {
			fu.NextInDays = -1
		}
	}
	return fu
}
