package handlers

import (
	"encoding/base64"
	"io"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
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
	var plan *importing.CoveragePlan
	p.Filename, p.Error = coverageFile(c, &p.Data)
	if p.Error == "" {
		data, _ := base64.StdEncoding.DecodeString(p.Data)
		f, err := importing.ReadCoverage(p.Filename, data)
		if err == nil {
			m := coverageMapping(c, f.Header)
			if m == nil {
				m = importing.GuessCoverage(f.Header)
			}
			if plan, err = importing.PlanCoverage(ctx, h.svc, id, f, m); crm.ErrorCode(err) == crm.EInvalid {
				p.Plan = &importing.CoveragePlan{Header: f.Header, Mapping: m} // the mapping to correct
			}
		} else {
			p.Data = ""
		}
		if crm.ErrorCode(err) == crm.EInvalid {
			p.Error = crm.ErrorMessage(err)
		} else if err != nil {
			return err
		}
	}
	if p.Error != "" {
		return render(c, http.StatusUnprocessableEntity, pages.CoverageImport(p))
	}
	if c.FormValue("mode") == "import" {
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
// N), or nil on a first upload (guessed).
func coverageMapping(c echo.Context, header []string) map[string]string {
	if c.FormValue("mapped") != "1" {
		return nil
	}
	m := make(map[string]string, len(header))
	for i, h := range header {
		m[h] = c.FormValue("col_" + strconv.Itoa(i))
	}
	return m
}
