package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// New shows an empty outlet form.
func (h *Outlets) New(c echo.Context) error {
	return h.renderForm(c, http.StatusOK, 0, pages.OutletForm{Type: "other"}, nil)
}

// Create stores a new outlet.
func (h *Outlets) Create(c echo.Context) error {
	return h.save(c, 0)
}

// Edit shows a stored outlet's form.
func (h *Outlets) Edit(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	o, err := h.client.Outlet.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := pages.OutletForm{Name: o.Name, Type: string(o.Type), Website: o.Website, Region: o.Region,
		Description: o.Description, Audience: strconv.FormatInt(o.Audience, 10), Custom: pages.CustomFormValues(o.Custom)}
	return h.renderForm(c, http.StatusOK, id, f, nil)
}

// Update saves the outlet form; a rename reaches all its people's search documents.
func (h *Outlets) Update(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return h.save(c, id)
}

func (h *Outlets) save(c echo.Context, id int) error {
	f := pages.OutletForm{Name: c.FormValue("name"), Type: c.FormValue("type"), Website: c.FormValue("website"),
		Region: c.FormValue("region"), Description: c.FormValue("description"), Audience: c.FormValue("audience")}
	fp, err := c.FormParams()
	if err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read. Reload the page and try again.")
	}
	f.Custom = customFormValues(fp)
	fields, err := crm.LoadCustomFields(c.Request().Context(), h.client, crm.EntityOutlet)
	if err != nil {
		return err
	}
	fe := crm.FieldErrors{}
	in := crm.OutletInput{Name: f.Name, Type: f.Type, Website: f.Website, Region: f.Region, Description: f.Description,
		Custom: parseCustom(fields, f.Custom, fe)}
	if len(fe) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, id, f, fe)
	}
	if a := strings.TrimSpace(f.Audience); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			return h.renderForm(c, http.StatusUnprocessableEntity, id, f, map[string]string{"audience": "Enter a whole number."})
		}
		in.Audience = n
	}
	o, err := crm.SaveOutlet(c.Request().Context(), h.client, id, in)
	if fields := fieldErrors(err); fields != nil {
		return h.renderForm(c, http.StatusUnprocessableEntity, id, f, fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.OutletShow, o.ID), "Outlet saved.")
}

func (h *Outlets) renderForm(c echo.Context, status, id int, f pages.OutletForm, errs map[string]string) error {
	title := tr(c, "New outlet")
	if id != 0 {
		title = f.Name
	}
	fields, err := crm.LoadCustomFields(c.Request().Context(), h.client, crm.EntityOutlet)
	if err != nil {
		return err
	}
	return render(c, status, pages.OutletFormPage(pages.OutletFormProps{Meta: metaText(c, title), ID: id, Form: f, Errors: errs, Fields: fields}))
}
