package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Settings changes how the file is read (encoding, delimiter, sheet) or
// applies a saved mapping, then shows the preview again.
func (h *Imports) Settings(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	o := importing.OptionsOf(j)
	o.Encoding, o.Delimiter, o.Sheet = or(c.FormValue("encoding"), o.Encoding), or(c.FormValue("delimiter"), o.Delimiter), or(c.FormValue("sheet"), o.Sheet)
	if j, err = importing.Settings(ctx, h.client, j, o); err != nil {
		return h.invalid(c, err)
	}
	if name := c.FormValue("template"); name != "" {
		t, err := importing.Template(ctx, h.client, name)
		if err != nil {
			return h.invalid(c, err)
		}
		header, _, err := importing.Preview(j, 0)
		if err != nil {
			return err
		}
		if _, err = importing.SetMapping(ctx, h.client, j, importing.ApplyTemplate(header, t.Mapping)); err != nil {
			return h.invalid(c, err)
		}
	}
	return redirect(c, routes.URL(routes.ImportShow, j.ID), "")
}

// DryRun saves the column mapping (and, if named, a template of it) and
// works out what the import would do, row by row.
func (h *Imports) DryRun(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	header, _, err := importing.Preview(j, 0)
	if err != nil {
		return h.invalid(c, err)
	}
	m := make(map[string]string, len(header))
	for i, col := range header {
		m[col] = c.FormValue("col_" + strconv.Itoa(i))
	}
	if j, err = importing.SetMapping(ctx, h.client, j, m); err != nil {
		return h.invalid(c, err)
	}
	if name := c.FormValue("template_name"); name != "" {
		if err := importing.SaveTemplate(ctx, h.client, name, j.UserID, j.Mapping); err != nil {
			return h.invalid(c, err)
		}
	}
	if err := importing.QueueDryRun(ctx, h.client, j.ID); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ImportShow, j.ID), "The dry run is under way. You can leave this page; it goes on.")
}

// Run queues the import (or resumes an interrupted one) for the background worker.
func (h *Imports) Run(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	if err := importing.Queue(c.Request().Context(), h.client, j.ID); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ImportShow, j.ID), "The import is running. You can leave this page; it goes on.")
}

// Progress answers htmx's poll with the progress bar; once the import has
// ended it asks the page to reload into the result. Browsers without
// JavaScript are sent to the import's page.
func (h *Imports) Progress(c echo.Context) error {
	j, err := h.load(c, jobColumns) // every second while it runs: no file, no stale check (the worker's)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, routes.URL(routes.ImportShow, j.ID))
	}
	v := jobView(j)
	if !v.Running() {
		c.Response().Header().Set("HX-Refresh", "true")
	}
	return render(c, http.StatusOK, pages.ImportProgress(v))
}

// Rejected downloads the rejected rows with a reason column.
func (h *Imports) Rejected(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	dry := j.Status == importjob.StatusDryRun || j.Status == importjob.StatusMapped
	name := fmt.Sprintf("import-%d-rejected.csv", j.ID)
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	return importing.WriteRejected(c.Request().Context(), h.client, j, dry, c.Response())
}

// RevertConfirm asks before a revert: how many contacts it would delete
// and restore, and which ones someone else changed since the import (left
// alone unless a manager confirms).
func (h *Imports) RevertConfirm(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	plan, err := importing.PlanRevert(c.Request().Context(), h.client, j, currentUser(c).UserID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.ImportRevertConfirm(pages.ImportRevertProps{Meta: meta(c, "Revert import {{.File}}", "File", j.Filename),
		Job: jobView(j), Delete: plan.Delete, Restore: plan.Restore, ChangedDelete: plan.ChangedDelete, ChangedRestore: plan.ChangedRestore,
		Changed: changedRows(plan.Changed), Deleted: changedRows(plan.Deleted), Restored: changedRows(plan.Restored), CanForce: seesAll(currentUser(c)), Revertable: revertable(j.Status)}))
}

// Revert queues the revert for the background worker: the contacts the
// import created are removed, the ones it changed restored.
func (h *Imports) Revert(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	req := importing.RevertRequest{By: u.UserID, Force: c.FormValue("force") == "1" && seesAll(u)}
	if err := importing.RequestRevert(c.Request().Context(), h.client, j.ID, req); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ImportShow, j.ID), "The revert is under way. You can leave this page; it goes on.")
}

func changedRows(cs []importing.ChangedContact) []pages.ChangedContact {
	out := make([]pages.ChangedContact, len(cs))
	for i, c := range cs {
		out[i] = pages.ChangedContact{ID: c.ID, Name: c.Name, Reason: c.Reason}
		if c.Change != nil {
			out[i].Action, out[i].By, out[i].At = c.Change.Action, c.Change.By, c.Change.At
		}
	}
	return out
}

func revertable(s importjob.Status) bool { return importing.CanMove(s, importjob.StatusReverting) }

// invalid shows the import page again with a user error (422), or passes
// any other error on.
func (h *Imports) invalid(c echo.Context, err error) error {
	if crm.ErrorCode(err) != crm.EInvalid {
		return err
	}
	j, jerr := h.job(c)
	if jerr != nil {
		return jerr
	}
	p, perr := h.props(c, j, err)
	if perr != nil {
		return perr
	}
	return render(c, http.StatusUnprocessableEntity, pages.ImportJob(p))
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
