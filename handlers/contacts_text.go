package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/pages"
)

// refuseText answers a list whose text is over the limits on search text:
// the filters with the text cut to the limit and what is wrong with it, no
// rows, 422.
func (h *Contacts) refuseText(c echo.Context, f pages.ContactFilter, err error) error {
	choices, stages, cerr := h.choices(c.Request().Context())
	if cerr != nil {
		return cerr
	}
	f.Q = search.Shorten(f.Q)
	p := pages.ContactsProps{Meta: meta(c, "Contacts"), Filter: f, Now: h.now(), Options: filterOptions(choices),
		Stages: stages, Errors: fieldErrors(err)}
	return render(c, http.StatusUnprocessableEntity, pages.Contacts(p))
}
