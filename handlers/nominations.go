package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Nominations serves the advocate review's writes: nominating a contact,
// adding requested information, and a manager's decision.
type Nominations struct {
	client    *ent.Client
	contacts  *Contacts
	advocates *Advocates
}

// NewNominations returns the nomination handlers.
func NewNominations(client *ent.Client) *Nominations {
	return &Nominations{client: client, contacts: NewContacts(client), advocates: NewAdvocates(client)}
}

// Create nominates the contact of the path and returns to its page.
func (h *Nominations) Create(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := c.Request().ParseForm(); err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	f := pages.NominationForm{Kind: c.FormValue("kind"), Reason: c.FormValue("reason"), Links: c.FormValue("links"),
		Evidence: formInts(c.Request().Form["evidence"])}
	_, err = crm.Nominate(c.Request().Context(), h.client, id, crm.NominationInput{Kind: f.Kind, Reason: f.Reason,
		InteractionIDs: f.Evidence, Links: splitLines(f.Links)})
	if fields := fieldErrors(err); fields != nil {
		return h.contacts.contactInvalid(c, id, fields, func(p *pages.ContactProps) { p.Nomination = f })
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id)+"#advocacy", "Nomination sent to the managers for review.")
}

// Info adds the information a manager asked for and reopens the nomination.
func (h *Nominations) Info(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	contactID, err := crm.AddNominationInfo(c.Request().Context(), h.client, id, c.FormValue("info"), splitLines(c.FormValue("info_links")))
	if fields := fieldErrors(err); fields != nil && contactID != 0 {
		return h.contacts.contactInvalid(c, contactID, fields, nil)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, contactID)+"#advocacy", "Information added; the nomination is back in the review queue.")
}

// Decide records a manager's decision and returns to the review queue.
func (h *Nominations) Decide(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	in := crm.DecisionInput{Decision: c.FormValue("decision"), Comment: c.FormValue("comment")}
	n, err := crm.Decide(c.Request().Context(), h.client, id, in)
	if fields := fieldErrors(err); fields != nil {
		return h.advocates.renderReview(c, http.StatusUnprocessableEntity, id, in, fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.AdvocateReview), decisionFlash[in.Decision], "Name", crm.DisplayName(n.Edges.Contact.FirstName, n.Edges.Contact.LastName))
}

var decisionFlash = map[string]string{
	"approve":    "Approved: {{.Name}}.",
	"reject":     "Rejected the nomination of {{.Name}}.",
	"needs_info": "Asked the nominator for more information about {{.Name}}.",
}

// formInts reads the positive integers of a multi-valued form field.
func formInts(vs []string) []int {
	var out []int
	for _, v := range vs {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// splitLines splits a text area into its non-empty lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
