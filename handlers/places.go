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

// Places serves the admins' table of canonical city and region names.
type Places struct {
	client *ent.Client
	writer *crm.ContactWriter
}

// NewPlaces returns the place table handlers; writer normalises stored contacts.
func NewPlaces(client *ent.Client, writer *crm.ContactWriter) *Places {
	return &Places{client: client, writer: writer}
}

// List shows the admins' places, a form for a new one, and the built-in table.
func (h *Places) List(c echo.Context) error {
	return h.render(c, http.StatusOK, crm.Place{Kind: "city"}, nil, nil)
}

// Save adds a place or replaces one (by id).
func (h *Places) Save(c echo.Context) error {
	id, _ := strconv.Atoi(c.FormValue("id"))
	p := crm.Place{ID: id, Kind: c.FormValue("kind"), Name: c.FormValue("name"), Region: c.FormValue("region"), Aliases: crm.SplitList(c.FormValue("aliases"))}
	_, err := crm.SavePlace(c.Request().Context(), h.client, p)
	if fields := fieldErrors(err); fields != nil {
		return h.render(c, http.StatusUnprocessableEntity, p, fields, nil)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Places), "Place saved. New and edited contacts use it; normalise the stored ones below.")
}

// Delete removes an admin's place.
func (h *Places) Delete(c echo.Context) error {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		return crm.Errorf(crm.ENotFound, "This place does not exist.")
	}
	if err := crm.DeletePlace(c.Request().Context(), h.client, id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Places), "Place deleted.")
}

// Normalize brings every stored contact's city and region to the table's
// spelling and shows what it changed.
func (h *Places) Normalize(c echo.Context) error {
	rep, err := crm.NormalizePlaces(c.Request().Context(), h.writer)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, crm.Place{Kind: "city"}, nil, &rep)
}

func (h *Places) render(c echo.Context, status int, form crm.Place, errs map[string]string, rep *crm.PlaceReport) error {
	custom, err := crm.CustomPlaces(c.Request().Context(), h.client)
	if err != nil {
		return err
	}
	return render(c, status, pages.PlacesPage(pages.PlacesProps{Meta: meta(c, "Places"), Custom: custom, Builtin: crm.BuiltinPlaces(),
		Form: form, Errors: errs, Report: rep}))
}
