package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
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
	in, fe, err := h.input(c, f)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, 0, f, fe, "")
	}
	if err := in.Check(); err != nil { // field errors first, then the duplicate question
		if fields := fieldErrors(err); fields != nil {
			return h.renderForm(c, http.StatusUnprocessableEntity, 0, f, fields, "")
		}
		return err
	}
	if c.FormValue("confirm_duplicate") == "" { // without JavaScript the form asks here
		probe := in
		probe.Channels = nil // a channel someone has cannot be saved twice: the writer's field error names its owner
		hints, err := crm.DuplicateHints(c.Request().Context(), h.client, probe, 0)
		if err != nil {
			return err
		}
		if len(hints) > 0 {
			return h.renderFormAll(c, http.StatusUnprocessableEntity, 0, f, nil, tr(c, "This contact may exist already: open it, or confirm that this is a different person."), nil, hints)
		}
	}
	id, err := h.writer.CreateNoted(c.Request().Context(), in, privacyNote(f))
	if fields := fieldErrors(err); fields != nil {
		return h.renderForm(c, http.StatusUnprocessableEntity, 0, f, fields, "")
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id), "Contact created.")
}

// input is the form as a crm input, custom fields typed by their definitions.
func (h *Contacts) input(c echo.Context, f pages.ContactForm) (crm.ContactInput, crm.FieldErrors, error) {
	in, fe := contactInput(f)
	fields, err := h.customFields(c.Request().Context())
	if err != nil {
		return in, fe, err
	}
	in.Custom = parseCustom(fields, f.Custom, fe)
	return in, fe, nil
}

// Edit shows the form of a stored contact.
func (h *Contacts) Edit(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ct, err := h.loadForEdit(c, id)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, id, contactForm(ct), nil, "")
}

// loadForEdit reads the contact as the writer holds it (two statements).
func (h *Contacts) loadForEdit(c echo.Context, id int) (*crm.StoredContact, error) {
	return h.writer.Load(c.Request().Context(), id)
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
	in, fe, err := h.input(c, f)
	if err != nil {
		return err
	}
	if len(fe) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, id, f, fe, "")
	}
	_, err = h.writer.UpdateNoted(c.Request().Context(), id, in, privacyNote(f))
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

// conflict answers 409 with the saved version beside the user's input, field
// by field, and keeps the input in the form: nothing typed is lost, nothing is
// silently overwritten, and saving again is a deliberate choice.
func (h *Contacts) conflict(c echo.Context, id int, f pages.ContactForm, cause error) error {
	cur, err := h.loadForEdit(c, id)
	if err != nil {
		return err
	}
	saved := contactForm(cur)
	f.Version = saved.Version
	msg := tr(c, crm.ErrorMessage(cause)) + " " + tr(c, "Compare below; your input is kept in the form, and saving again replaces what is saved now.")
	return h.renderFormWith(c, http.StatusConflict, id, f, nil, msg, conflictFields(saved, f))
}

// renderForm shows the contact form with the given values and errors.
func (h *Contacts) renderForm(c echo.Context, status, id int, f pages.ContactForm, errs map[string]string, msg string) error {
	return h.renderFormWith(c, status, id, f, errs, msg, nil)
}

func (h *Contacts) renderFormWith(c echo.Context, status, id int, f pages.ContactForm, errs map[string]string, msg string, conflict []pages.ConflictField) error {
	return h.renderFormAll(c, status, id, f, errs, msg, conflict, nil)
}

func (h *Contacts) renderFormAll(c echo.Context, status, id int, f pages.ContactForm, errs map[string]string, msg string, conflict []pages.ConflictField, dups []crm.DuplicateHint) error {
	owners, outlets, err := h.formChoices(c.Request().Context())
	if err != nil {
		return err
	}
	fields, err := h.customFields(c.Request().Context())
	if err != nil {
		return err
	}
	title := tr(c, "New contact")
	if id != 0 {
		title = crm.DisplayName(f.FirstName, f.LastName)
	}
	return render(c, status, pages.ContactFormPage(pages.ContactFormProps{Meta: metaText(c, title), ID: id,
		Form: withSpareRows(f), Errors: errs, Message: msg, Conflict: conflict, Owners: ownerOptions(owners), Outlets: outlets, Duplicates: dups, Fields: fields}))
}

// formChoices are the active users and the outlet names the form offers,
// from the cache when there is one.
func (h *Contacts) formChoices(ctx context.Context) ([]*ent.User, []string, error) {
	if h.lookups == nil {
		owners, err := h.client.User.Query().Where(user.Active(true)).Order(user.ByName()).Select(user.FieldID, user.FieldName).All(ctx)
		if err != nil {
			return nil, nil, err
		}
		outlets, err := crm.LoadOutletNames(ctx, h.client)
		return owners, outlets, err
	}
	fc, err := h.lookups.FilterChoices(ctx)
	if err != nil {
		return nil, nil, err
	}
	outlets, err := h.lookups.OutletNames(ctx)
	return fc.Owners, outlets, err
}

// fieldErrors returns the field messages of a validation error, else nil.
func fieldErrors(err error) map[string]string {
	var e *crm.Error
	if errors.As(err, &e) && e.Code == crm.EInvalid && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}
