package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// CustomFields serves the admins' custom fields of contacts and outlets.
type CustomFields struct {
	client *ent.Client
	writer *crm.ContactWriter // converts the contacts' values on a type change
}

// NewCustomFields returns the custom field handlers.
func NewCustomFields(client *ent.Client, writer *crm.ContactWriter) *CustomFields {
	return &CustomFields{client: client, writer: writer}
}

// List shows both entities' fields and the form for a new one.
func (h *CustomFields) List(c echo.Context) error {
	return h.renderList(c, http.StatusOK, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldText}, nil)
}

// Create adds a field.
func (h *CustomFields) Create(c echo.Context) error {
	f := bindCustomField(c)
	got, err := crm.CreateCustomField(c.Request().Context(), h.client, f)
	if fields := fieldErrors(err); fields != nil {
		return h.renderList(c, http.StatusUnprocessableEntity, f, fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.CustomFields), "Field “{{.Label}}” added.", "Label", got.Label(currentLang(c)))
}

// Edit shows a field's form with its removal.
func (h *CustomFields) Edit(c echo.Context) error {
	f, err := h.field(c)
	if err != nil {
		return err
	}
	return h.renderEdit(c, http.StatusOK, f, f, nil, nil)
}

// Update saves a field. A change of its type or choices that converts or
// drops stored values first shows how many, and saves when confirmed.
func (h *CustomFields) Update(c echo.Context) error {
	from, err := h.field(c)
	if err != nil {
		return err
	}
	to := bindCustomField(c)
	to.Entity = from.Entity
	return h.change(c, from, &to)
}

// Delete removes a field, after showing how many values go (into the
// audit trail).
func (h *CustomFields) Delete(c echo.Context) error {
	from, err := h.field(c)
	if err != nil {
		return err
	}
	return h.change(c, from, nil)
}

// change previews or (confirmed, or touching no value) applies a change.
func (h *CustomFields) change(c echo.Context, from crm.CustomField, to *crm.CustomField) error {
	ctx := c.Request().Context()
	form := from
	if to != nil {
		form = *to
	}
	plan, err := crm.PlanFieldChange(ctx, h.writer, from.ID, to)
	if fields := fieldErrors(err); fields != nil {
		return h.renderEdit(c, http.StatusUnprocessableEntity, from, form, fields, nil)
	}
	if err != nil {
		return err
	}
	if c.FormValue("confirm") == "" && (plan.Touches() || to == nil) {
		return h.renderEdit(c, http.StatusOK, from, form, nil, &plan)
	}
	done, err := crm.ApplyFieldChange(ctx, h.writer, from.ID, to)
	if err != nil {
		return err
	}
	if to == nil {
		return redirect(c, routes.URL(routes.CustomFields), "Field removed; {{.Dropped}} values are kept in the audit trail.", "Dropped", done.Dropped)
	}
	return redirect(c, routes.URL(routes.CustomFields), "Field saved: {{.Converted}} values converted, {{.Dropped}} dropped (kept in the audit trail).",
		"Converted", done.Converted, "Dropped", done.Dropped)
}

func (h *CustomFields) field(c echo.Context) (crm.CustomField, error) {
	id, err := paramID(c)
	if err != nil {
		return crm.CustomField{}, err
	}
	return crm.GetCustomField(c.Request().Context(), h.client, id)
}

// bindCustomField reads the field form: choices one per line.
func bindCustomField(c echo.Context) crm.CustomField {
	pos, _ := strconv.Atoi(c.FormValue("position"))
	return crm.CustomField{Entity: c.FormValue("entity"), Type: c.FormValue("type"), LabelEN: c.FormValue("label_en"),
		LabelDE: c.FormValue("label_de"), Choices: splitLines(c.FormValue("choices")), InList: c.FormValue("in_list") != "", Position: pos}
}

func (h *CustomFields) renderList(c echo.Context, status int, form crm.CustomField, errs map[string]string) error {
	ctx := c.Request().Context()
	contacts, err := crm.LoadCustomFields(ctx, h.client, crm.EntityContact)
	if err != nil {
		return err
	}
	outlets, err := crm.LoadCustomFields(ctx, h.client, crm.EntityOutlet)
	if err != nil {
		return err
	}
	return render(c, status, pages.CustomFieldsPage(pages.CustomFieldsProps{Meta: meta(c, "Fields"), Contact: contacts,
		Outlet: outlets, Form: form, Errors: errs}))
}

func (h *CustomFields) renderEdit(c echo.Context, status int, field, form crm.CustomField, errs map[string]string, plan *crm.FieldChange) error {
	return render(c, status, pages.CustomFieldEditPage(pages.CustomFieldEditProps{Meta: metaText(c, field.Label(currentLang(c))),
		Field: field, Form: form, Errors: errs, Preview: plan}))
}
