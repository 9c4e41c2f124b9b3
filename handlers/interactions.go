package handlers

import (
	"strconv"
	"strings"
	"time"

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

// Create logs an interaction with the contact of the path and returns to its page.
func (h *Interactions) Create(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := pages.InteractionForm{Type: c.FormValue("type"), Direction: c.FormValue("direction"),
		OccurredAt: c.FormValue("occurred_at"), Subject: c.FormValue("subject"),
		Body: c.FormValue("body"), Sentiment: c.FormValue("sentiment"),
		CompleteFollowUp: c.FormValue("complete_follow_up") == "1", NextInDays: c.FormValue("next_in_days")}
	in := crm.InteractionInput{ContactIDs: []int{id}, Type: f.Type, Direction: f.Direction,
		Subject: f.Subject, Body: f.Body, Sentiment: f.Sentiment, FollowUp: followUp(f)}
	if at, err := time.ParseInLocation(dateTimeLocal, f.OccurredAt, time.Local); err == nil {
		in.OccurredAt = at.UTC()
	}
	_, err = crm.LogInteraction(c.Request().Context(), h.client, currentUser(c).UserID, in)
	if fields := fieldErrors(err); fields != nil {
		return h.contacts.contactInvalid(c, id, fields, func(p *pages.ContactProps) { p.Interaction = f })
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id)+"#timeline-head", "Interaction logged.")
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
