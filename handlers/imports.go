package handlers

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Imports serves the import flow: upload, preview and mapping, dry run,
// the running job's progress, the result, the rejected rows and revert.
type Imports struct {
	client *ent.Client // dry runs, imports and reverts run in the background worker
}

// NewImports returns the import handlers.
func NewImports(client *ent.Client) *Imports {
	return &Imports{client: client}
}

// List shows the imports: a staff member's own, everyone's for managers.
func (h *Imports) List(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := importing.MarkStale(ctx, h.client, time.Now()); err != nil {
		return err
	}
	q := h.client.ImportJob.Query().Select(jobColumns...).WithUser().Order(ent.Desc(importjob.FieldID)).Limit(200)
	if u := currentUser(c); !seesAll(u) {
		q = q.Where(importjob.UserID(u.UserID))
	}
	jobs, err := q.All(ctx)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.Imports(pages.ImportsProps{Meta: meta(c, "Imports"), Jobs: jobRows(jobs)}))
}

// New is the upload form.
func (h *Imports) New(c echo.Context) error {
	return render(c, http.StatusOK, pages.ImportNew(pages.ImportNewProps{Meta: meta(c, "Import contacts"), MaxMB: uploadLimit(c) >> 20}))
}

// Create stores an uploaded file as an import and shows its preview.
func (h *Imports) Create(c echo.Context) error {
	p := pages.ImportNewProps{Meta: meta(c, "Import contacts"), MaxMB: uploadLimit(c) >> 20}
	fh, err := c.FormFile("file")
	if err != nil {
		if tooLarge(err) {
			return uploadTooLarge(c)
		}
		p.Error = "Choose a file to upload: CSV, XLSX or vCard (.vcf)."
		return render(c, http.StatusUnprocessableEntity, pages.ImportNew(p))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, uploadLimit(c)+1))
	if err != nil || int64(len(data)) > uploadLimit(c) {
		return uploadTooLarge(c)
	}
	uid := currentUser(c).UserID
	j, err := importing.CreateJob(c.Request().Context(), h.client, importing.NewJob{UserID: &uid, Filename: filepath.Base(fh.Filename), Data: data})
	if crm.ErrorCode(err) == crm.EInvalid {
		p.Error = crm.ErrorMessage(err)
		return render(c, http.StatusUnprocessableEntity, pages.ImportNew(p))
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ImportShow, j.ID), "")
}

// Show is an import's page; what it shows follows the import's status.
func (h *Imports) Show(c echo.Context) error {
	j, err := h.job(c)
	if err != nil {
		return err
	}
	p, err := h.props(c, j, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.ImportJob(p))
}

// jobColumns are an import's columns but the uploaded file: the list and
// the progress bar (polled every second) need no copy of it.
var jobColumns = importing.JobColumns

// job loads the import of the path with its file: staff see their own only.
func (h *Imports) job(c echo.Context) (*ent.ImportJob, error) {
	ctx := c.Request().Context()
	if _, err := importing.MarkStale(ctx, h.client, time.Now()); err != nil {
		return nil, err
	}
	j, err := h.load(c, importjob.Columns)
	if err != nil {
		return nil, err
	}
	return j, importing.LoadFile(ctx, h.client, j)
}

// load reads the import of the path with the columns cols: staff see their own only.
func (h *Imports) load(c echo.Context, cols []string) (*ent.ImportJob, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	j, err := h.client.ImportJob.Query().Where(importjob.ID(id)).Select(cols...).WithUser().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, crm.Errorf(crm.ENotFound, "There is no such import.")
	}
	if err != nil {
		return nil, err
	}
	if u := currentUser(c); !seesAll(u) && (j.UserID == nil || *j.UserID != u.UserID) {
		return nil, crm.Errorf(crm.ENotFound, "There is no such import.")
	}
	return j, nil
}

func seesAll(u *Principal) bool { return u != nil && routes.Allows(u.Role, routes.Manager) }

func tooLarge(err error) bool {
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe) || errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge
}
