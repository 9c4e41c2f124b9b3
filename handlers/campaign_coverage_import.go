package handlers

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// ImportCoverage reads a coverage file (uploaded, or carried back by the
// check's form with its mapping), checks every row and shows the dry run;
// with mode=import it saves the new pieces through AddCoverage and redirects.
func (h *Campaigns) ImportCoverage(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cp, err := h.svc.Campaign(ctx, id)
	if err != nil {
		return err
	}
	p := pages.CoverageImportProps{Meta: meta(c, "Import coverage: {{.Name}}", "Name", cp.Name), Campaign: cp,
		MaxKB: importing.MaxCoverageBytes >> 10, MaxRows: importing.MaxCoverageRows}
	plan, err := h.planCoverage(c, id, &p)
	if err != nil {
		return err
	}
	if p.Error != "" {
		return render(c, http.StatusUnprocessableEntity, pages.CoverageImport(p))
	}
	switch c.FormValue("mode") {
	case "rejected":
		return coverageRejected(c, id, plan)
	case "import":
		saved, err := importing.ApplyCoverage(ctx, h.svc, id, p.Filename, plan)
		if err != nil {
			return err
		}
		return redirect(c, routes.URL(routes.CampaignShow, id)+"#coverage", "Coverage imported: {{.Saved}} pieces saved, {{.Skipped}} rows skipped.",
			"Saved", saved, "Skipped", len(plan.Rows)-saved)
	}
	p.Plan = plan
	return render(c, http.StatusOK, pages.CoverageImport(p))
}

// planCoverage reads the file the request carries and checks it with the
// request's mapping (or the guessed one). What the user must correct goes
// to p.Error, with the mapping to correct in p.Plan when the file was read.
func (h *Campaigns) planCoverage(c echo.Context, id int, p *pages.CoverageImportProps) (*importing.CoveragePlan, error) {
	if p.Filename, p.Error = coverageFile(c, &p.Data); p.Error != "" {
		return nil, nil
	}
	data, _ := base64.StdEncoding.DecodeString(p.Data)
	f, err := importing.ReadCoverage(p.Filename, data)
	var plan *importing.CoveragePlan
	if err == nil {
		m := coverageMapping(c, f.Header)
		if plan, err = importing.PlanCoverage(c.Request().Context(), h.svc, id, f, m); crm.ErrorCode(err) == crm.EInvalid {
			p.Plan = &importing.CoveragePlan{Header: f.Header, Mapping: m} // the mapping to correct
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

// coverageFile is the file's name and its bytes (base64, into data): the
// upload, or what the check's form carried back. The message says what is
// missing or too large.
func coverageFile(c echo.Context, data *string) (name, msg string) {
	fh, err := c.FormFile("file")
	if err != nil {
		if *data = c.FormValue("data"); *data == "" {
			return "", "Choose a CSV or XLSX file of coverage."
		}
		return filepath.Base(c.FormValue("filename")), ""
	}
	f, err := fh.Open()
	if err != nil {
		return "", "Choose a CSV or XLSX file of coverage."
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, importing.MaxCoverageBytes+1))
	if err != nil || len(b) > importing.MaxCoverageBytes {
		return "", "The file is too large for a coverage import."
	}
	*data = base64.StdEncoding.EncodeToString(b)
	return filepath.Base(fh.Filename), ""
}

// coverageMapping is the mapping the check's form sent (col_N for column
// N), or the guessed one on a first upload.
func coverageMapping(c echo.Context, header []string) map[string]string {
	if c.FormValue("mapped") != "1" {
		return importing.GuessCoverage(header)
	}
	m := make(map[string]string, len(header))
	for i, h := range header {
		m[h] = c.FormValue("col_" + strconv.Itoa(i))
	}
	return m
}

// coverageRejected downloads the rows the import skips, with their problems
// in the user's language, as CSV (formulas neutralised).
func coverageRejected(c echo.Context, id int, plan *importing.CoveragePlan) error {
	var buf bytes.Buffer
	t := plan.Rejected(func(pr importing.CoverageProblem) string {
		if pr.Value == "" {
			return tr(c, pr.Message)
		}
		return tr(c, pr.Message) + " (" + pr.Value + ")"
	})
	if err := export.WriteTableCSV(&buf, t); err != nil {
		return fmt.Errorf("rejected coverage rows: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="campaign-%d-coverage-rejected.csv"`, id))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
