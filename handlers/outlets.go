package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Outlets serves the outlet list and outlet pages.
type Outlets struct{ client *ent.Client }

// NewOutlets returns the outlet handlers.
func NewOutlets(client *ent.Client) *Outlets { return &Outlets{client: client} }

// List shows outlets by name, 100 a page, with how many people work there.
func (h *Outlets) List(c echo.Context) error {
	after, _ := strconv.Atoi(c.QueryParam("after"))
	if err := crm.CheckText("q", c.QueryParam("q")); err != nil {
		return err
	}
	page, err := crm.ListOutlets(c.Request().Context(), h.client, c.QueryParam("q"), after, 100)
	if err != nil {
		return err
	}
	p := pages.OutletsProps{Meta: meta(c, "Outlets"), Q: c.QueryParam("q"), Total: page.Total}
	for _, o := range page.Outlets {
		p.Rows = append(p.Rows, pages.OutletListRow{ID: o.ID, Name: o.Name, Type: o.Type, Region: o.Region, People: o.People})
	}
	if page.NextAfter != 0 {
		_, p.NextURL = pageLinks(routes.URL(routes.Outlets), url.Values{"q": {p.Q}}, "after", "", strconv.Itoa(page.NextAfter))
	}
	return render(c, http.StatusOK, pages.Outlets(p))
}

// Show is an outlet's page with its people.
func (h *Outlets) Show(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	o, people, err := crm.LoadOutlet(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	p := pages.OutletProps{Meta: metaText(c, o.Name), Name: o.Name, Type: string(o.Type), Website: o.Website,
		Region: o.Region, About: o.Description, Audience: o.Audience, Custom: o.Custom}
	if p.Fields, err = crm.LoadCustomFields(c.Request().Context(), h.client, crm.EntityOutlet); err != nil {
		return err
	}
	for _, e := range people {
		if ct := e.Edges.Contact; ct != nil {
			p.People = append(p.People, pages.OutletPerson{ContactID: ct.ID, Name: crm.DisplayName(ct.FirstName, ct.LastName), Role: e.Role})
		}
	}
	return render(c, http.StatusOK, pages.Outlet(p))
}
