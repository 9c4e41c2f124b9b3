package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// duplicatesShown bounds the pairs the page lists.
const duplicatesShown = 200

// recentMerges bounds the merges the page lists for undo.
const recentMerges = 20

// Duplicates serves the list of likely duplicate contacts and the contact
// form's live duplicate check.
type Duplicates struct {
	client *ent.Client
	dups   *crm.Duplicates
	writer *crm.ContactWriter // merges and their undo
}

// NewDuplicates returns the duplicate handlers.
func NewDuplicates(client *ent.Client, writer *crm.ContactWriter) *Duplicates {
	return &Duplicates{client: client, dups: crm.NewDuplicates(client), writer: writer}
}

// List shows the candidate pairs with their evidence, for anyone to review.
func (h *Duplicates) List(c echo.Context) error {
	rows, total, err := h.dups.List(c.Request().Context(), duplicatesShown)
	if err != nil {
		return err
	}
	m := meta(c, "Duplicates")
	var merges []crm.MergeRecord
	if m.Can(routes.Manager) {
		if merges, err = crm.RecentMerges(c.Request().Context(), h.client, recentMerges); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, pages.DuplicatesPage(pages.DuplicatesProps{Meta: m, Rows: rows, Total: total, Merges: merges}))
}

// Check answers the new-contact form as it is filled in (htmx): the stored
// contacts it may duplicate, as a fragment.
func (h *Duplicates) Check(c echo.Context) error {
	f, err := bindContactForm(c)
	if err != nil {
		return err
	}
	in, _ := contactInput(f)
	hints, err := crm.DuplicateHints(c.Request().Context(), h.client, in, 0)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.DuplicateWarning(hints, false))
}
