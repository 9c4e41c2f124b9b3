package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Tasks serves follow-ups: the list, creating one from the contact page,
// marking one done.
type Tasks struct {
	client   *ent.Client
	contacts *Contacts
	now      func() time.Time
}

// NewTasks returns the follow-up handlers.
func NewTasks(client *ent.Client) *Tasks {
	return &Tasks{client: client, contacts: NewContacts(client), now: time.Now}
}

// List shows my or the team's follow-ups: open (default), overdue or done.
func (h *Tasks) List(c echo.Context) error {
	f := pages.TaskFilter{Who: c.QueryParam("who"), Status: c.QueryParam("status")}
	if f.Who != "all" {
		f.Who = "mine"
	}
	if f.Status != "done" && f.Status != "overdue" {
		f.Status = "open"
	}
	now := h.now()
	rows, err := crm.ListTasks(c.Request().Context(), h.client, crm.TaskParams{UserID: currentUser(c).UserID, All: f.Who == "all",
		Done: f.Status == "done", Overdue: f.Status == "overdue"}, now)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.TasksPage(pages.TasksProps{Meta: meta(c, "Follow-ups"), Filter: f, Rows: rows, Now: now}))
}

// Create adds a follow-up to the contact of the path.
func (h *Tasks) Create(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := pages.TaskForm{Title: c.FormValue("task_title"), Due: c.FormValue("task_due"), Assignee: c.FormValue("task_assignee")}
	assignee, _ := strconv.Atoi(f.Assignee)
	_, err = crm.CreateTask(c.Request().Context(), h.client, id, crm.TaskInput{Title: f.Title, Due: f.Due, AssigneeID: assignee})
	if fields := fieldErrors(err); fields != nil {
		return h.contacts.contactInvalid(c, id, fields, func(p *pages.ContactProps) { p.Task = f })
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactShow, id)+"#tasks", "Follow-up scheduled.")
}

// Done marks a follow-up done and goes back where the user was.
func (h *Tasks) Done(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	t, err := crm.CompleteTask(c.Request().Context(), h.client, id)
	if err != nil {
		return err
	}
	back := localPath(c.FormValue("back"), routes.URL(routes.ContactShow, t.ContactID)+"#tasks")
	return redirect(c, back, "Follow-up done: {{.Title}}", "Title", t.Title)
}
