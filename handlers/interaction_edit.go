package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Edit shows an interaction's form (its author or a manager).
func (h *Interactions) Edit(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	it, ids, err := crm.LoadInteraction(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	if err := mayEdit(c, it.AuthorID); err != nil {
		return err
	}
	f := pages.InteractionForm{Type: string(it.Type), Direction: string(it.Direction), Subject: it.Subject, Body: it.Body,
		Sentiment: string(it.Sentiment), OccurredAt: it.OccurredAt.In(time.Local).Format(dateTimeLocal), Links: strings.Join(it.Links, "\n")}
	return render(c, http.StatusOK, pages.InteractionEdit(pages.InteractionEditProps{Meta: meta(c, "Edit interaction"),
		ID: id, ContactID: backContact(c.QueryParam("contact"), ids), Form: f}))
}

// Update saves the edited interaction and returns to the contact.
func (h *Interactions) Update(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := interactionForm(c)
	in := interactionInput(f)
	err = crm.UpdateInteraction(c.Request().Context(), h.client, id, in)
	back, _ := strconv.Atoi(c.FormValue("contact"))
	if fields := fieldErrors(err); fields != nil {
		return render(c, http.StatusUnprocessableEntity, pages.InteractionEdit(pages.InteractionEditProps{
			Meta: meta(c, "Edit interaction"), ID: id, ContactID: back, Form: f, Errors: fields}))
	}
	if err != nil {
		return err
	}
	return redirect(c, h.contactURL(c, id, back), "Interaction saved.")
}

// Delete removes the interaction and returns to the contact.
func (h *Interactions) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ids, err := crm.DeleteInteraction(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	back, _ := strconv.Atoi(c.FormValue("contact"))
	return redirect(c, routes.URL(routes.ContactShow, backContact(strconv.Itoa(back), ids))+"#timeline-head", "Interaction deleted.")
}

func (h *Interactions) contactURL(c echo.Context, id, back int) string {
	_, ids, err := crm.LoadInteraction(c.Request().Context(), h.client, id)
	if err != nil || len(ids) == 0 {
		return routes.URL(routes.Contacts)
	}
	return routes.URL(routes.ContactShow, backContact(strconv.Itoa(back), ids)) + "#timeline-head"
}

// backContact is the contact to return to: the one asked for when it takes
// part, else the first participant.
func backContact(want string, ids []int) int {
	n, _ := strconv.Atoi(want)
	for _, id := range ids {
		if id == n {
			return n
		}
	}
	if len(ids) > 0 {
		return ids[0]
	}
	return 0
}

// mayEdit refuses someone who neither wrote the interaction nor manages.
func mayEdit(c echo.Context, author *int) error {
	u := currentUser(c)
	if manager(u) || (author != nil && u != nil && *author == u.UserID) {
		return nil
	}
	return crm.Errorf(crm.EForbidden, "Only whoever logged an interaction, or a manager, may change it.")
}

// interactionForm reads the fields an interaction form posts.
func interactionForm(c echo.Context) pages.InteractionForm {
	return pages.InteractionForm{Type: c.FormValue("type"), Direction: c.FormValue("direction"),
		OccurredAt: c.FormValue("occurred_at"), Subject: c.FormValue("subject"),
		Body: c.FormValue("body"), Sentiment: c.FormValue("sentiment"), Links: c.FormValue("links"),
		CompleteFollowUp: c.FormValue("complete_follow_up") == "1", NextInDays: c.FormValue("next_in_days")}
}

func interactionInput(f pages.InteractionForm) crm.InteractionInput {
	in := crm.InteractionInput{Type: f.Type, Direction: f.Direction, Subject: f.Subject, Body: f.Body,
		Sentiment: f.Sentiment, Links: strings.Split(f.Links, "\n")}
	if at, err := time.ParseInLocation(dateTimeLocal, f.OccurredAt, time.Local); err == nil {
		in.OccurredAt = at.UTC()
	}
	return in
}
