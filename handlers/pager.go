package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// pageLinks are the links of a keyset-paged list at path with the query q,
// whose page key is the parameter param (current: this page's, next: the
// next page's). next is q with param set to next ("" when there is no next
// page); first is q without param ("" when this is the first page).
// components.Pager renders them.
func pageLinks(path string, q url.Values, param, current, next string) (first, nextURL string) {
	q = withParam(q, param, "")
	q.Del(param)
	if next != "" {
		nextURL = routes.WithQuery(path, withParam(q, param, next))
	}
	if current != "" {
		first = routes.WithQuery(path, q)
	}
	return first, nextURL
}

// contactInvalid answers a form on the contact page (interaction, follow-up,
// nomination) that failed validation: the page of contact id again, 422,
// with the field errors and, through fill, what the user typed.
func (h *Contacts) contactInvalid(c echo.Context, id int, fields map[string]string, fill func(*pages.ContactProps)) error {
	p, err := h.page(c, id)
	if err != nil {
		return err
	}
	p.Errors = fields
	if fill != nil {
		fill(&p)
	}
	return render(c, http.StatusUnprocessableEntity, pages.Contact(p))
}
