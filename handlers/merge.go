package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// MergeForm shows two contacts side by side with a choice per field
// (managers; GET /duplicates/merge?a=&b=).
func (h *Duplicates) MergeForm(c echo.Context) error {
	a, _ := strconv.Atoi(c.QueryParam("a"))
	b, _ := strconv.Atoi(c.QueryParam("b"))
	pair, err := h.writer.MergePair(c.Request().Context(), a, b)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.MergePage(pages.MergeProps{Meta: meta(c, "Merge contacts"), Pair: pair}))
}

// Merge merges the contact not kept into the one kept, with the fields
// chosen from it (POST /duplicates/merge).
func (h *Duplicates) Merge(c echo.Context) error {
	num := func(k string) int { n, _ := strconv.Atoi(c.FormValue(k)); return n }
	a, b := num("a"), num("b")
	r := crm.MergeRequest{Keep: a, Drop: b, KeepVersion: num("version_a"), DropVersion: num("version_b")}
	if c.FormValue("keep") == "b" {
		r = crm.MergeRequest{Keep: b, Drop: a, KeepVersion: num("version_b"), DropVersion: num("version_a")}
	}
	dropSide := map[int]string{a: "a", b: "b"}[r.Drop]
	for _, f := range crm.MergeFields {
		if c.FormValue("f_"+f.Key) == dropSide {
			r.FromDrop = append(r.FromDrop, f.Key)
		}
	}
	if _, err := h.writer.Merge(c.Request().Context(), r); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, r.Keep),
		fmt.Sprintf("Contact #%d was merged into this one. A manager can undo it under Duplicates → Recent merges.", r.Drop))
}

// UndoMerge undoes a merge (POST /merges/:id/undo).
func (h *Duplicates) UndoMerge(c echo.Context) error {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		return crm.Errorf(crm.ENotFound, "There is no such merge.")
	}
	u, err := h.writer.UndoMerge(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, u.Drop), fmt.Sprintf("The merge was undone: this contact and #%d are as they were.", u.Keep))
}
