package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// The saved views of the contact list: methods of Contacts, which renders
// the list a refused save returns to.

// SaveView saves the posted list query (the form's query field) as a view.
// What is stored is the query as the list reads it (listQuery), never the
// text sent; a refused name returns to the list with the form as it was.
func (h *Contacts) SaveView(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	q, err := url.ParseQuery(form.Get("query"))
	if err != nil || len(form.Get("query")) > 2*crm.MaxViewQuery {
		return crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	fields, err := h.customFields(ctx)
	if err != nil {
		return err
	}
	cols, err := crm.ParseListColumns(fields, q["cols"])
	in := crm.ViewInput{Name: form.Get("name"), Shared: form.Get("shared") != "", List: crm.ListContacts,
		Query: listQuery(selectionFrom(q), cols).Encode()}
	var v *ent.SavedView
	if err == nil { // too many columns: refused as the name would be
		v, err = crm.SaveView(ctx, h.client, in)
	}
	if fe := fieldErrors(err); fe != nil {
		return h.list(c, q, pages.ViewForm{Name: in.Name, Shared: in.Shared, Errors: fe}, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return redirect(c, viewURL(v.ID, v.Query), "View “{{.Name}}” saved.", "Name", v.Name)
}

// OpenView opens the list as one of the user's views, or a shared one, says;
// someone else's personal view is not found.
func (h *Contacts) OpenView(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := crm.VisibleView(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, viewURL(v.ID, v.Query))
}

// RenameView renames a view (its owner; a shared one also a manager).
func (h *Contacts) RenameView(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := crm.RenameView(c.Request().Context(), h.client, id, c.FormValue("name"))
	if err != nil {
		return err
	}
	return redirect(c, viewURL(v.ID, v.Query), "View renamed to “{{.Name}}”.", "Name", v.Name)
}

// DeleteView deletes a view (its owner; a shared one also a manager).
func (h *Contacts) DeleteView(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	v, err := crm.DeleteView(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Contacts), "View “{{.Name}}” deleted.", "Name", v.Name)
}

// views fills the list's saved views and the "save view" form, and says
// whether the list is the user's default view, shown because the URL asked
// for nothing.
func (h *Contacts) views(c echo.Context, p *pages.ContactsProps, sel crm.Selection, cols crm.ListColumns, form pages.ViewForm) error {
	vs, err := h.savedViews(c.Request().Context())
	if err != nil {
		return err
	}
	p.Views, p.ViewForm = make([]pages.ViewLink, len(vs)), form
	for i, v := range vs {
		p.Views[i] = pages.ViewLink{View: v, URL: viewURL(v.ID, v.Query)}
	}
	p.ActiveView, _ = strconv.Atoi(p.Query.Get("view"))
	if d, ok := crm.DefaultView(vs); ok {
		p.DefaultView = d.Name
		p.DefaultShown = d.ID == p.ActiveView && len(c.QueryParams()) == 0 && c.Request().Method == http.MethodGet
	}
	p.PlainURL = routes.WithQuery(routes.URL(routes.Contacts), url.Values{"view": {"0"}})
	p.ViewForm.Query = listQuery(sel, cols).Encode()
	return nil
}

// savedViews are the views of the contact list the user is offered, from
// the cache when there is one.
func (h *Contacts) savedViews(ctx context.Context) ([]crm.View, error) {
	if h.lookups != nil {
		return h.lookups.Views(ctx, crm.ListContacts)
	}
	return crm.ListViews(ctx, h.client, crm.ListContacts)
}

// viewURL opens the contact list as a view's query says, marked as the view.
func viewURL(id int, query string) string {
	q, _ := url.ParseQuery(query) // stored canonical: it parses
	q.Set("view", strconv.Itoa(id))
	return routes.WithQuery(routes.URL(routes.Contacts), q)
}

// listQuery is the canonical query of a list: the selection as
// selectionQuery writes it (each filter's values sorted, the default sort
// left out) and the columns when the user chose them, in their order.
func listQuery(sel crm.Selection, cols crm.ListColumns) url.Values {
	if sel.Sort = crm.ListSort(sel.Sort); sel.Sort == crm.SortName {
		sel.Sort = ""
	}
	v := selectionQuery(sel)
	for _, vals := range v {
		slices.Sort(vals)
	}
	if cols.Chosen {
		v["cols"] = cols.Keys()
	}
	return v
}
