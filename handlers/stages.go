package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// StageSettings serves the admins' settings of the relationship stages.
type StageSettings struct{ client *ent.Client }

// NewStageSettings returns the stage settings handlers.
func NewStageSettings(client *ent.Client) *StageSettings { return &StageSettings{client: client} }

// Edit shows the stages with their labels and cadences.
func (h *StageSettings) Edit(c echo.Context) error {
	st, err := crm.LoadStages(c.Request().Context(), h.client)
	if err != nil {
		return err
	}
	rows := make([]crm.StageInput, len(st))
	for i, s := range st {
		rows[i] = crm.StageInput{Key: s.Key, Label: s.Label, Cadence: strconv.Itoa(s.CadenceDays)}
	}
	return h.renderForm(c, http.StatusOK, rows, nil)
}

// Save stores the labels and cadences; every contact's due date follows.
func (h *StageSettings) Save(c echo.Context) error {
	rows := make([]crm.StageInput, len(crm.StageKeys))
	for i, k := range crm.StageKeys {
		rows[i] = crm.StageInput{Key: k, Label: c.FormValue("label." + k), Cadence: c.FormValue("cadence." + k)}
	}
	_, err := crm.SaveStages(c.Request().Context(), h.client, rows)
	if fields := fieldErrors(err); fields != nil {
		return h.renderForm(c, http.StatusUnprocessableEntity, rows, fields)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.StageSettings), "Stages saved.")
}

func (h *StageSettings) renderForm(c echo.Context, status int, rows []crm.StageInput, errs map[string]string) error {
	return render(c, status, pages.StagesPage(pages.StagesProps{Meta: meta(c, "Relationship stages"), Rows: rows, Errors: errs}))
}
