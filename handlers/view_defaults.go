package handlers

import (
	"context"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// The default view of the contact list: /contacts without a query shows it;
// /contacts?view=0 (any query) is the list as the URL says.

// defaultQuery is the query of the user's default view of the contact list,
// marked as the view; nil when they have none (or it is gone).
func (h *Contacts) defaultQuery(ctx context.Context) (url.Values, error) {
	vs, err := h.savedViews(ctx)
	if err != nil {
		return nil, err
	}
	v, ok := crm.DefaultView(vs)
	if !ok {
		return nil, nil
	}
	q, _ := url.ParseQuery(v.Query) // stored canonical: it parses
	q.Set("view", strconv.Itoa(v.ID))
	return q, nil
}

// SetDefaultView makes a view the user may open the default of their
// contact list, which then opens with it.
func (h *Contacts) SetDefaultView(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := crm.SetDefaultView(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Contacts), "“{{.Name}}” is now your default view: the contact list opens with it.", "Name", v.Name)
}

// ClearDefaultView leaves the user's contact list without a default view.
func (h *Contacts) ClearDefaultView(c echo.Context) error {
	if err := crm.ClearDefaultView(c.Request().Context(), h.client, crm.ListContacts); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Contacts), "Your contact list opens without a default view again.")
}
