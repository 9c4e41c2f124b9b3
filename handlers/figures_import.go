package handlers

import (
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

func figuresImportProps(c echo.Context) pages.FiguresImportProps {
	return pages.FiguresImportProps{Meta: meta(c, "Import figures"), MaxKB: importing.MaxCoverageBytes >> 10, MaxRows: importing.MaxCoverageRows}
}

// ImportForm shows the figures import's upload.
func (h *ChannelFigures) ImportForm(c echo.Context) error {
	return render(c, http.StatusOK, pages.FiguresImport(figuresImportProps(c)))
}

// Import reads a figures file (uploaded, or carried back with its mapping),
// shows the dry run row by row; with mode=import it records the good rows
// through the one figures writer and redirects.
func (h *ChannelFigures) Import(c echo.Context) error {
	p := figuresImportProps(c)
	plan, err := h.planFigures(c, &p)
	if err != nil {
		return err
	}
	if p.Error != "" {
		return render(c, http.StatusUnprocessableEntity, pages.FiguresImport(p))
	}
	if c.FormValue("mode") == "import" {
		saved, err := importing.ApplyFigures(c.Request().Context(), h.svc, p.Filename, plan)
		if err != nil {
			return err
		}
		return redirect(c, routes.URL(routes.Figures), "Figures imported: {{.Saved}} rows recorded, {{.Skipped}} rows skipped.",
			"Saved", saved, "Skipped", len(plan.Rows)-saved)
	}
	p.Plan = plan
	return render(c, http.StatusOK, pages.FiguresImport(p))
}

// planFigures reads and checks the request's file like planCoverage.
func (h *ChannelFigures) planFigures(c echo.Context, p *pages.FiguresImportProps) (*importing.FigurePlan, error) {
	if p.Filename, p.Error = coverageFile(c, &p.Data); p.Error != "" {
		p.Error = "Choose a CSV or XLSX file of figures."
		return nil, nil
	}
	data, _ := base64.StdEncoding.DecodeString(p.Data)
	f, err := importing.ReadFigures(p.Filename, data)
	var plan *importing.FigurePlan
	if err == nil {
		m := importing.GuessFigures(f.Header)
		if c.FormValue("mapped") == "1" {
			m = coverageMapping(c, f.Header)
		}
		if plan, err = importing.PlanFigures(c.Request().Context(), h.svc, f, m, h.now()); crm.ErrorCode(err) == crm.EInvalid {
			p.Plan = &importing.FigurePlan{Header: f.Header, Mapping: m}
		}
	} else {
		p.Data = ""
	}
	if crm.ErrorCode(err) == crm.EInvalid {
		p.Error = crm.ErrorMessage(err)
		return nil, nil
	}
	return plan, err
}
