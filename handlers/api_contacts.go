package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APIContacts serves /api/v1/contacts: the list through the selection
// resolver (the pages' selection language), changes through the contact
// writer, erasure through crm.Privacy.Erase, like the pages.
type APIContacts struct {
	pages   *Contacts    // the page handlers' client, writer and resolver
	privacy *crm.Privacy // DELETE is the pages' erasure (Art. 17)
}

// List returns one page of the selection's contacts.
func (h *APIContacts) List(c echo.Context) error {
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	cur, err := apiCursor(c)
	if err != nil {
		return err
	}
	sel := selectionFrom(c.QueryParams())
	if err := crm.CheckText("q", sel.Query); err != nil {
		return err
	}
	page, err := h.pages.selections.List(c.Request().Context(), crm.ListParams{Selection: sel, After: cur, Limit: limit})
	if err != nil {
		return err
	}
	total := page.Total
	return c.JSON(http.StatusOK, APIList[APIContactRow]{Data: apiContactRows(page.Rows), Total: &total, TotalMore: page.More, NextCursor: page.Next})
}

// Show returns one contact with its ETag.
func (h *APIContacts) Show(c echo.Context) error {
	ct, err := h.load(c)
	if err != nil {
		return err
	}
	if c.Request().Header.Get("If-None-Match") == etag(ct.Row.Version) {
		return c.NoContent(http.StatusNotModified)
	}
	return h.write(c, http.StatusOK, ct)
}

// Create stores a new contact (201 with its Location and ETag).
func (h *APIContacts) Create(c echo.Context) error {
	body := APIContact{Kind: "journalist", Stage: "unknown", LawfulBasis: "legitimate_interest", ConsentState: "none"}
	if err := readJSON(c, &body, nil); err != nil {
		return err
	}
	id, err := h.pages.writer.Create(c.Request().Context(), body.input())
	if err != nil {
		return err
	}
	ct, err := h.pages.loadForEdit(c, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, routes.URL(routes.APIContactShow, id))
	return h.write(c, http.StatusCreated, ct)
}

// Update patches the contact with the fields the body sends. It needs
// If-Match: 412 when the ETag is stale, 409 when someone saved in between.
func (h *APIContacts) Update(c echo.Context) error {
	ct, err := h.load(c)
	if err != nil {
		return err
	}
	switch sent, ok := ifMatch(c, ct.Row.Version); {
	case !sent:
		return errNeedIfMatch
	case !ok:
		return errStale
	}
	stored := apiContact(ct)
	patched := stored
	if err := readJSON(c, &patched, resetContactLists(&patched)); err != nil {
		return err
	}
	in := patched.input()
	in.Version = stored.Version
	if _, err := h.pages.writer.Update(c.Request().Context(), ct.Row.ID, in); err != nil {
		return err
	}
	if ct, err = h.pages.loadForEdit(c, ct.Row.ID); err != nil {
		return err
	}
	return h.write(c, http.StatusOK, ct)
}

// Delete erases the contact (managers, as on the pages); If-Match is optional.
func (h *APIContacts) Delete(c echo.Context) error {
	ct, err := h.load(c)
	if err != nil {
		return err
	}
	if sent, ok := ifMatch(c, ct.Row.Version); sent && !ok {
		return errStale
	}
	if _, err := h.privacy.Erase(c.Request().Context(), []int{ct.Row.ID}, crm.EraseOptions{}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *APIContacts) load(c echo.Context) (*crm.StoredContact, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	return h.pages.loadForEdit(c, id)
}

func (h *APIContacts) write(c echo.Context, status int, ct *crm.StoredContact) error {
	c.Response().Header().Set("ETag", etag(ct.Row.Version))
	return c.JSON(status, apiContact(ct))
}

// resetContactLists empties the lists a patch replaces, so that they are
// replaced, not merged element by element.
func resetContactLists(a *APIContact) func(map[string]json.RawMessage) {
	return func(keys map[string]json.RawMessage) {
		lists := map[string]func(){
			"languages": func() { a.Languages = nil }, "emails": func() { a.Emails = nil }, "phones": func() { a.Phones = nil },
			"channels": func() { a.Channels = nil }, "outlets": func() { a.Outlets = nil }, "topics": func() { a.Topics = nil },
			"tags": func() { a.Tags = nil }, "owner_id": func() { a.OwnerID = nil },
		}
		for k := range keys {
			if f, ok := lists[k]; ok {
				f()
			}
		}
	}
}
