package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// New shows an empty contact form.
func (h *Contacts) New(c echo.Context) error {
	f := pages.ContactForm{Kind: "journalist", Stage: "unknown", LawfulBasis: "legitimate_interest", ConsentState: "none"}
	if u := currentUser(c); u != nil {
		f.OwnerID = strconv.Itoa(u.UserID)
	}
	return h.renderForm(c, http.StatusOK, 0, f, nil, "")
}

// Create stores a new contact and redirects to its page.
func (h *Contacts) Create(c echo.Context) error {
	f, err := bindContactForm(c)
	if err != nil {
		return err
	}
	in, fe := contactInput(f)
	if len(fe) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, 0, f, fe, "")
	}
	ct, err := crm.CreateContact(c.Request().Context(), h.client, in)
	if fields := fieldErrors(err); fields != nil {
		return h.renderForm(c, http.StatusUnprocessableEntity, 0, f, fields, "")
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, ct.ID), "Contact created.")
}

// Edit shows the form of a stored contact.
func (h *Contacts) Edit(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ct, err := h.client.Contact.Query().Where(contact.ID(id)).WithEmails().WithChannels().
		WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).WithTopics().WithTags().Only(c.Request().Context())
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, id, contactForm(ct), nil, "")
}

// Update saves the form over the contact, unless someone saved it in between.
func (h *Contacts) Update(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f, err := bindContactForm(c)
	if err != nil {
		return err
	}
	in, fe := contactInput(f)
	if len(fe) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, id, f, fe, "")
	}
	_, err = crm.UpdateContact(c.Request().Context(), h.client, id, in)
	if fields := fieldErrors(err); fields != nil {
		return h.renderForm(c, http.StatusUnprocessableEntity, id, f, fields, "")
	}
	if crm.ErrorCode(err) == crm.EConflict {
		return h.conflict(c, id, f, err)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id), "Contact saved.")
}

// conflict re-shows the user's input with 409 and the stored version, so that
// nothing typed is lost and a second save is a deliberate overwrite.
func (h *Contacts) conflict(c echo.Context, id int, f pages.ContactForm, cause error) error {
	cur, err := h.client.Contact.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f.Version = strconv.Itoa(cur.Version)
	msg := crm.ErrorMessage(cause) + " Your input is kept below; check it against the contact's page and save again to overwrite."
	return h.renderForm(c, http.StatusConflict, id, f, nil, msg)
}

// Delete removes the contact after the confirmation box was ticked.
func (h *Contacts) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return redirect(c, routes.URL(routes.ContactEdit, id), "Tick the confirmation box to delete this contact.")
	}
	if err := crm.DeleteContact(c.Request().Context(), h.client, id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Contacts), "Contact deleted.")
}

// renderForm shows the contact form with the given values and errors.
func (h *Contacts) renderForm(c echo.Context, status, id int, f pages.ContactForm, errs map[string]string, msg string) error {
	ctx := c.Request().Context()
	owners, err := h.client.User.Query().Where(user.Active(true)).Order(user.ByName()).All(ctx)
	if err != nil {
		return err
	}
	outlets, err := h.client.Outlet.Query().Order(outlet.ByName()).Limit(1000).Select(outlet.FieldName).Strings(ctx)
	if err != nil {
		return err
	}
	title := "New contact"
	if id != 0 {
		title = crm.DisplayName(f.FirstName, f.LastName)
	}
	return render(c, status, pages.ContactFormPage(pages.ContactFormProps{Meta: meta(c, title), ID: id,
		Form: withSpareRows(f), Errors: errs, Message: msg, Owners: ownerOptions(owners), Outlets: outlets}))
}

// fieldErrors returns the field messages of a validation error, else nil.
func fieldErrors(err error) map[string]string {
	var e *crm.Error
	if errors.As(err, &e) && e.Code == crm.EInvalid && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}
