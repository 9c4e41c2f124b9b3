package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// Campaigns serves clients, campaigns, their target lists, pitches and
// coverage; crm.Campaigns checks who may see and run each one.
type Campaigns struct {
	client *ent.Client
	svc    *crm.Campaigns
	fetch  crm.PageFetcher
	sels   *crm.Selections
	now    func() time.Time
}

// NewCampaigns returns the campaign handlers.
func NewCampaigns(client *ent.Client, svc *crm.Campaigns, sels *crm.Selections, fetch crm.PageFetcher, now func() time.Time) *Campaigns {
	return &Campaigns{client: client, svc: svc, sels: sels, fetch: fetch, now: now}
}

// List shows the campaigns the user may see, with their progress (?client= narrows to one client).
func (h *Campaigns) List(c echo.Context) error {
	return h.list(c, http.StatusOK, nil, "")
}

func (h *Campaigns) list(c echo.Context, status int, errs map[string]string, newClient string) error {
	ctx := c.Request().Context()
	p := pages.CampaignsProps{Meta: meta(c, "Campaigns"), Errors: errs, NewClient: newClient,
		CanManage: routes.Allows(currentUser(c).Role, routes.Manager), Status: c.QueryParam("status")}
	if campaign.StatusValidator(campaign.Status(p.Status)) != nil {
		p.Status = "" // every status
	}
	brandID, _ := strconv.Atoi(c.QueryParam("client"))
	var err error
	if brandID > 0 {
		b, err := h.svc.Brand(ctx, brandID)
		if err != nil {
			return err
		}
		p.Client, p.Meta.Title = b, tr(c, "Campaigns of {{.Name}}", "Name", b.Name)
		if p.Totals, err = h.svc.ClientTotals(ctx, brandID); err != nil {
			return err
		}
	}
	page, err := h.svc.Page(ctx, crm.CampaignFilter{BrandID: brandID, Status: p.Status, Limit: campaignsPerPage,
		Older: c.QueryParam("older"), Newer: c.QueryParam("newer")})
	if err != nil {
		return err
	}
	p.Rows, p.Pager = page.Rows, campaignPager(c.QueryParams(), page)
	if p.Clients, err = h.svc.Brands(ctx); err != nil {
		return err
	}
	return render(c, status, pages.Campaigns(p))
}

// campaignsPerPage is how many campaigns /campaigns shows at once.
const campaignsPerPage = 50

// campaignPager links page's neighbours, keeping the list's filters.
func campaignPager(q url.Values, page *crm.CampaignPage) components.PagerProps {
	q = withParam(q, "older", "")
	q.Del("older")
	q.Del("newer")
	p := components.PagerProps{Prev: "« Newer campaigns", Next: "Older campaigns »", TestID: "older-campaigns"}
	if page.Newer != "" {
		p.FirstURL = routes.WithQuery(routes.URL(routes.Campaigns), q)
		p.PrevURL = routes.WithQuery(routes.URL(routes.Campaigns), withParam(q, "newer", page.Newer))
	}
	if page.Older != "" {
		p.NextURL = routes.WithQuery(routes.URL(routes.Campaigns), withParam(q, "older", page.Older))
	}
	return p
}

// CreateClient adds a client (managers).
func (h *Campaigns) CreateClient(c echo.Context) error {
	name := c.FormValue("name")
	b, err := h.svc.SaveBrand(c.Request().Context(), crm.BrandInput{Name: name, Notes: c.FormValue("notes")})
	if fields := fieldErrors(err); fields != nil {
		return h.list(c, http.StatusUnprocessableEntity, fields, name)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Campaigns)+"?client="+strconv.Itoa(b.ID), "Client added: {{.Name}}", "Name", b.Name)
}

// New shows the new-campaign form.
func (h *Campaigns) New(c echo.Context) error {
	f := pages.CampaignForm{Status: "planned", NoReplyDays: "14", StartsAt: h.now().Format(dateLayout), Brand: c.QueryParam("client")}
	return h.form(c, http.StatusOK, f, nil)
}

func (h *Campaigns) form(c echo.Context, status int, f pages.CampaignForm, errs map[string]string) error {
	ctx := c.Request().Context()
	clients, err := h.svc.Brands(ctx)
	if err != nil {
		return err
	}
	_, users, err := h.svc.Choices(ctx)
	if err != nil {
		return err
	}
	return render(c, status, pages.CampaignNew(pages.CampaignFormProps{Meta: meta(c, "New campaign"), Form: f, Clients: clients, Users: users, Errors: errs}))
}

// Create adds a campaign owned by the user and opens it.
func (h *Campaigns) Create(c echo.Context) error {
	f := pages.CampaignForm{Brand: c.FormValue("brand"), Name: c.FormValue("name"), Goal: c.FormValue("goal"),
		KeyMessages: c.FormValue("key_messages"), StartsAt: c.FormValue("starts_at"), EndsAt: c.FormValue("ends_at"),
		EmbargoUntil: c.FormValue("embargo_until"), Status: c.FormValue("status"), NoReplyDays: c.FormValue("no_reply_days")}
	form, _ := c.FormParams()
	f.Team = form["team"]
	in, errs := campaignInput(f)
	var cp *ent.Campaign
	var err error
	if len(errs) == 0 {
		cp, err = h.svc.CreateCampaign(c.Request().Context(), in)
		errs = fieldErrors(err)
	}
	if errs != nil {
		return h.form(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.CampaignShow, cp.ID), "Campaign created. Now build its target list.")
}

// campaignInput parses the form's dates and numbers; what does not parse is a field error.
func campaignInput(f pages.CampaignForm) (crm.CampaignInput, map[string]string) {
	errs := map[string]string{}
	in := crm.CampaignInput{Name: f.Name, Goal: f.Goal, Status: f.Status, KeyMessages: strings.Split(f.KeyMessages, "\n")}
	in.BrandID, _ = strconv.Atoi(f.Brand)
	for _, t := range f.Team {
		if id, err := strconv.Atoi(t); err == nil {
			in.TeamIDs = append(in.TeamIDs, id)
		}
	}
	if d, err := time.Parse(dateLayout, f.StartsAt); err == nil {
		in.StartsAt = d
	} else {
		errs["starts_at"] = "Enter when the campaign starts."
	}
	if f.EndsAt != "" {
		if d, err := time.Parse(dateLayout, f.EndsAt); err == nil {
			in.EndsAt = &d
		} else {
			errs["ends_at"] = "Enter a date or leave it empty."
		}
	}
	if f.EmbargoUntil != "" {
		if d, err := time.ParseInLocation(dateTimeLocal, f.EmbargoUntil, time.Local); err == nil {
			u := d.UTC()
			in.EmbargoUntil = &u
		} else {
			errs["embargo_until"] = "Enter a date and time or leave it empty."
		}
	}
	if f.NoReplyDays != "" {
		n, err := strconv.Atoi(f.NoReplyDays)
		if err != nil {
			n = -1
		}
		in.NoReplyDays = n
	}
	if len(errs) == 0 {
		return in, nil
	}
	return in, errs
}

// dateLayout is the value format of <input type="date">.
const dateLayout = "2006-01-02"

// Status moves the campaign to planned, running or done.
func (h *Campaigns) Status(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.svc.SetCampaignStatus(c.Request().Context(), id, c.FormValue("status")); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.CampaignShow, id), "Campaign status changed.")
}

// ids reads numbers separated by commas, spaces or line breaks (at most max).
func ids(s string, max int) ([]int, bool) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == ';' }) {
		n, err := strconv.Atoi(strings.TrimPrefix(f, "#"))
		if err != nil || n <= 0 || len(out) >= max {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// routes maps the campaign routes to their handlers.
func (h *Campaigns) routes() map[string]echo.HandlerFunc {
	return map[string]echo.HandlerFunc{
		routes.Campaigns: h.List, routes.CampaignNew: h.New, routes.CampaignCreate: h.Create, routes.CampaignShow: h.Show,
		routes.CampaignStatus: h.Status, routes.CampaignTargets: h.Targets, routes.CampaignPitch: h.Pitch,
		routes.CampaignBulk: h.Bulk, routes.CampaignReport: h.Report, routes.CampaignReportXLSX: h.ReportXLSX, routes.CampaignTargetsCSV: h.TargetsCSV,
		routes.CoverageCreate: h.CreateCoverage, routes.CoverageImport: h.ImportCoverage, routes.ClientCreate: h.CreateClient,
	}
}
