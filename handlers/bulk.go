package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/pages"
)

// Bulk serves the bulk actions of every contact list: the preview, the
// confirmation, the progress and result page, the undo, and the list of
// recent actions.
type Bulk struct {
	client  *ent.Client
	actions *crm.BulkActions
}

// NewBulk returns the bulk handlers over actions.
func NewBulk(client *ent.Client, actions *crm.BulkActions) *Bulk {
	return &Bulk{client: client, actions: actions}
}

// selPrefix prefixes the list's selection in a bulk form, whose own fields
// (tag, owner, stage …) would otherwise read as filters.
const selPrefix = "s."

// bulkRequest reads a bulk form: the action and its value, the scope
// ("rows" with ticked ids, "page" with the page's ids, "all" with the
// list's selection under selPrefix) and where to go back to.
func bulkRequest(c echo.Context) (crm.BulkRequest, pages.BulkForm, error) {
	form, err := c.FormParams()
	if err != nil {
		return crm.BulkRequest{}, pages.BulkForm{}, crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	sel := url.Values{}
	for k, v := range form {
		if name, ok := strings.CutPrefix(k, selPrefix); ok {
			sel[name] = v
		}
	}
	f := pages.BulkForm{Action: form.Get("action"), Value: form.Get("value"), Scope: form.Get("scope"),
		Selection: sel, Back: localPath(form.Get("back"), routes.URL(routes.Contacts))}
	ids := form["ids"]
	if f.Scope == "page" {
		f.Scope, ids = crm.BulkScopeRows, form["page_ids"]
	}
	f.IDs = formInts(ids)
	req := crm.BulkRequest{Action: f.Action, Value: f.Value, Scope: f.Scope, IDs: f.IDs, Selection: selectionFrom(sel)}
	return req, f, nil
}

// Preview shows what the chosen action would change before anything is
// saved; without a value it asks for one.
func (h *Bulk) Preview(c echo.Context) error {
	req, f, err := bulkRequest(c)
	if err != nil {
		return err
	}
	p := pages.BulkPreviewProps{Meta: meta(c, "Bulk change"), Form: f, Ops: bulkOps(), CanLift: manager(currentUser(c))}
	if err := h.choices(c, &p); err != nil {
		return err
	}
	prev, err := h.actions.Preview(c.Request().Context(), req)
	if fields := fieldErrors(err); fields != nil {
		p.Errors = fields
		return render(c, http.StatusUnprocessableEntity, pages.BulkPreview(p))
	}
	if err != nil {
		return err
	}
	p.Preview, p.Form.Value = prev, prev.Value
	return render(c, http.StatusOK, pages.BulkPreview(p))
}

// choices fills the value choices of the preview's form.
func (h *Bulk) choices(c echo.Context, p *pages.BulkPreviewProps) error {
	choices, err := crm.LoadFilterChoices(c.Request().Context(), h.client)
	if err != nil {
		return err
	}
	stages, err := crm.LoadStages(c.Request().Context(), h.client)
	if err != nil {
		return err
	}
	p.Owners, p.Stages = ownerOptions(choices.Owners), stages
	return nil
}

// Create runs the confirmed action (or queues it) and shows its page.
func (h *Bulk) Create(c echo.Context) error {
	req, f, err := bulkRequest(c)
	if err != nil {
		return err
	}
	id, err := h.actions.Start(c.Request().Context(), req)
	if fields := fieldErrors(err); fields != nil {
		return redirect(c, f.Back, "Nothing changed: {{.Reason}}", "Reason", tr(c, firstMessage(fields)))
	}
	if err != nil && id == 0 {
		return err
	}
	return redirect(c, routes.WithQuery(routes.URL(routes.BulkShow, id), url.Values{"back": {f.Back}}), "")
}

// Show is an action's progress (htmx polls it while it runs) or result.
func (h *Bulk) Show(c echo.Context) error {
	ba, err := h.load(c)
	if err != nil {
		return err
	}
	row := bulkRow(ba, currentUser(c))
	if isHTMX(c) {
		tok, _ := c.Get(csrfKey).(string)
		return render(c, http.StatusOK, pages.BulkProgress(row, tok))
	}
	return render(c, http.StatusOK, pages.BulkShow(pages.BulkShowProps{Meta: meta(c, "Bulk change"), Action: row,
		Back: localPath(c.QueryParam("back"), routes.URL(routes.Contacts))}))
}

// Undo undoes an action as a whole (its author or a manager).
func (h *Bulk) Undo(c echo.Context) error {
	ba, err := h.load(c)
	if err != nil {
		return err
	}
	if err := h.actions.Undo(c.Request().Context(), ba.ID); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.BulkShow, ba.ID), "Undo started: the contacts get their earlier values back.")
}

// List shows the recent bulk actions: one's own, a manager's everyone's.
func (h *Bulk) List(c echo.Context) error {
	u := currentUser(c)
	items, err := h.actions.Recent(c.Request().Context(), u.UserID, manager(u), 50)
	if err != nil {
		return err
	}
	rows := make([]pages.BulkRow, len(items))
	for i, ba := range items {
		rows[i] = bulkRow(ba, u)
	}
	return render(c, http.StatusOK, pages.BulkList(pages.BulkListProps{Meta: meta(c, "Bulk changes"), Rows: rows}))
}

// load reads the action of the URL; staff see only their own.
func (h *Bulk) load(c echo.Context) (*ent.BulkAction, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	ba, err := h.actions.BulkAction(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if u := currentUser(c); !manager(u) && (ba.UserID == nil || *ba.UserID != u.UserID) {
		return nil, crm.Errorf(crm.ENotFound, "This bulk action does not exist.")
	}
	return ba, nil
}

func manager(u *Principal) bool {
	return u != nil && (u.Role == crm.RoleManager || u.Role == crm.RoleAdmin)
}

func bulkRow(ba *ent.BulkAction, u *Principal) pages.BulkRow {
	r := pages.BulkRow{ID: ba.ID, Summary: ba.Summary, Action: ba.Action, Value: ba.Value, Status: string(ba.Status), Total: ba.Total, Processed: ba.Processed,
		Changed: ba.Changed, Skipped: ba.Skipped, UndoProcessed: ba.UndoProcessed, UndoKept: ba.UndoKept,
		Message: ba.Message, At: ba.CreatedAt}
	if ba.Edges.User != nil {
		r.By = ba.Edges.User.Name
	}
	mine := ba.UserID != nil && u != nil && *ba.UserID == u.UserID
	r.CanUndo = (ba.Status == "done" || ba.Status == "failed") && ba.Changed > 0 && (mine || manager(u))
	return r
}

func bulkOps() []pages.BulkOpOption {
	ops := crm.BulkOps()
	out := make([]pages.BulkOpOption, len(ops))
	for i, op := range ops {
		out[i] = pages.BulkOpOption{Key: op.Key, Label: op.Label, Arg: op.Arg}
	}
	return out
}

// bulkBar is the bulk form of a list: its selection, total and page ids.
func bulkBar(c echo.Context, sel crm.Selection, total int, more bool, pageIDs []int) pages.BulkBarProps {
	v := url.Values{}
	for k, xs := range selectionQuery(sel) {
		v[selPrefix+k] = xs
	}
	ids := make([]string, len(pageIDs))
	for i, id := range pageIDs {
		ids[i] = strconv.Itoa(id)
	}
	n := locale.From(c.Request().Context()).Number(int64(total))
	label := tr(c, "All {{.N}} matching", "N", n)
	if more {
		label = tr(c, "All {{.N}}+ matching", "N", n)
	}
	tok, _ := c.Get(csrfKey).(string)
	return pages.BulkBarProps{CSRF: tok, Selection: v, PageIDs: ids, AllLabel: label,
		Back: c.Request().URL.RequestURI(), Ops: bulkOps(), Export: routes.WithQuery(routes.URL(routes.ExportNew), selectionQuery(sel))}
}

// rowIDs are the ids of a page's rows, for the bulk bar's "this page".
func rowIDs[R any](rows []R, id func(R) int) []int {
	ids := make([]int, len(rows))
	for i, r := range rows {
		ids[i] = id(r)
	}
	return ids
}
