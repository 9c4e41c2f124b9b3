package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/handlers/routes"
)

// allowed is the status each route answers a user whose role allows it, for
// a plain GET or a POST of an empty (but CSRF-valid) form. A route missing
// here fails TestAuthorizationMatrix: no route ships without a decision.
var allowed = map[string]int{
	routes.Health: 200, routes.Login: 200, routes.LoginSubmit: 401, routes.Logout: 303, routes.Static: 200,
	routes.Dashboard: 200, routes.Contacts: 200, routes.ContactNew: 200, routes.ContactCreate: 422,
	routes.ContactShow: 200, routes.ContactEdit: 200, routes.ContactUpdate: 422, routes.ContactDelete: 303, routes.ContactDeleteConfirm: 200,
	routes.ContactTimeline: 303, routes.InteractionLog: 422, routes.ContactHistory: 200,
	routes.Outlets: 200, routes.OutletShow: 200, routes.OutletNew: 200, routes.OutletCreate: 422,
	routes.OutletEdit: 200, routes.OutletUpdate: 422, routes.Audit: 200,
	routes.Users: 200, routes.UserNew: 200, routes.UserCreate: 422, routes.UserEdit: 200, routes.UserUpdate: 422,
	routes.Account: 200, routes.AccountPassword: 422, routes.AccountLocale: 303,
	routes.NominationCreate: 422, routes.NominationInfo: 422, routes.NominationDecide: 422,
	routes.AdvocateReview: 200, routes.Advocates: 200, routes.Coverage: 200,
	routes.Tasks: 200, routes.TaskCreate: 422, routes.TaskDone: 404,
	routes.StageSettings: 200, routes.StageSettingsSave: 422,
	routes.Places: 200, routes.PlaceSave: 422, routes.PlaceDelete: 303, routes.PlacesNormalize: 200,
	routes.CustomFields: 200, routes.CustomFieldCreate: 422, routes.CustomFieldEdit: 404, routes.CustomFieldUpdate: 404, routes.CustomFieldDelete: 404,
	routes.Duplicates: 200, routes.DuplicateCheck: 200, routes.MergeForm: 422, routes.Merge: 422, routes.MergeUndo: 404,
	routes.Segments: 200, routes.SegmentCreate: 422, routes.SegmentDelete: 404,
	routes.ViewCreate: 422, routes.ViewOpen: 404, routes.ViewRename: 404, routes.ViewDelete: 404,
	routes.ViewDefault: 404, routes.ViewDefaultClear: 303,
	routes.Exports: 200, routes.ExportNew: 200, routes.ExportCreate: 422, routes.ExportShow: 404,
	routes.ExportDownload: 404, routes.ExportApprove: 404, routes.ExportReject: 404, routes.Search: 200,
	routes.Imports: 200, routes.ImportNew: 200, routes.ImportCreate: 422, routes.ImportShow: 404,
	routes.ImportSettings: 404, routes.ImportDryRun: 404, routes.ImportRun: 404, routes.ImportProgress: 404,
	routes.ImportRejected: 404, routes.ImportRevert: 404, routes.ImportRevertConfirm: 404,
	routes.ContactConsent: 303, routes.ContactConsentLift: 422, routes.ContactAccess: 303, routes.ContactErase: 303,
	routes.Privacy: 200, routes.PrivacyRecord: 200, routes.PrivacyRequest: 404, routes.PrivacyRequestJSON: 404,
	routes.PrivacyRequestDone: 404, routes.PrivacySweep: 303, routes.PrivacyReview: 422,
	routes.Webhooks: 200, routes.WebhookCreate: 422, routes.WebhookShow: 404, routes.WebhookDelete: 404,
	routes.WebhookEnable: 404, routes.WebhookReplay: 404,
	routes.Ready: 200, routes.Metrics: 404, routes.LoginSSO: 404, routes.LoginSSOCallback: 404, // not configured in the tests // no metrics token in the tests
	routes.AccountTokenCreate: 422, routes.AccountTokenRevoke: 404, routes.APITokens: 200, routes.APITokenRevoke: 404,
	// The JSON API, called with a token of the role, an empty JSON object as
	// the body and a stale If-Match.
	routes.APIOpenAPI: 200, routes.APIDocs: 200, routes.APIContacts: 200, routes.APIContactCreate: 422,
	routes.APIContactShow: 200, routes.APIContactUpdate: 412, routes.APIContactDelete: 412,
	routes.APIInteractions: 200, routes.APIInteractionCreate: 422, routes.APIOutlets: 200, routes.APIOutletShow: 200,
	routes.APISegments: 200, routes.APISegmentMembers: 404, routes.APIExports: 200, routes.APIExportCreate: 422,
	routes.APIExportShow: 404, routes.APIExportDownload: 404,
	routes.APICampaigns: 200, routes.APICampaignCreate: 422, routes.APICampaignShow: 404, routes.APICampaignUpdate: 404,
	routes.APICampaignReport: 404, routes.APITargets: 404, routes.APITargetsAdd: 422, routes.APITargetsStatus: 422,
	routes.APIPitch: 404, routes.APICoverage: 404, routes.APICoverageCreate: 422, routes.APICoverageShow: 404,
	routes.BulkPreview: 422, routes.BulkCreate: 303, routes.BulkList: 200, routes.BulkShow: 404, routes.BulkUndo: 404,
	routes.InteractionEdit: 404, routes.InteractionUpdate: 404, routes.InteractionDelete: 404,
	routes.OwnedChannels: 200, routes.OwnedChannelNew: 200, routes.OwnedChannelCreate: 422, routes.OwnedChannelEdit: 404,
	routes.OwnedChannelUpdate: 422, routes.OwnedChannelDelete: 404, routes.ChannelMatrix: 200, routes.Feeds: 200, routes.FeedCheck: 404,
	routes.KeywordRules: 200, routes.KeywordRuleCreate: 422, routes.KeywordRuleToggle: 404, routes.KeywordRuleDelete: 404,
	routes.KeywordAlertAccept: 404, routes.ChannelFigures: 404, routes.ChannelFigureAdd: 404, routes.Figures: 200,
	routes.FiguresExport: 200, routes.FiguresImport: 200, routes.FiguresImportRun: 422,
	routes.ContactChannelFigures: 200, routes.ContactChannelFigureAdd: 422, // the contact's own channel; an empty form
	routes.Campaigns: 200, routes.CampaignNew: 200, routes.CampaignCreate: 422, routes.CampaignShow: 404,
	routes.CampaignStatus: 422, routes.CampaignTargets: 404, routes.CampaignPitch: 404, routes.CampaignBulk: 404,
	routes.AccountNotifications: 303, routes.AccountCalendar: 303, routes.AccountCalendarRevoke: 303,
	routes.MailSettings: 200, routes.MailSettingsSave: 422,
	routes.Unsubscribe: 404, routes.UnsubscribeOneClick: 404, routes.Calendar: 404, // no such token
	routes.CampaignReport: 404, routes.CampaignReportXLSX: 404, routes.CampaignTargetsCSV: 404, routes.CoverageCreate: 404, routes.CoverageImport: 404, routes.ClientCreate: 422,
}

// TestAuthorizationMatrix walks every route echo has registered for every
// kind of visitor and compares the status with the route table's role.
func TestAuthorizationMatrix(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		for _, role := range []string{"staff", "manager", "admin"} {
			a.user(role+"@example.com", role)
		}
		setup := a.browser()
		setup.login("admin@example.com")
		setup.get("/contacts/new")
		contactID := idFrom(t, setup.post("/contacts", contactForm()))
		outletID := a.db.Client.Outlet.Query().FirstIDX(t.Context())
		userID := a.db.Client.User.Query().FirstIDX(t.Context())
		channelID := a.db.Client.SocialProfile.Query().FirstIDX(t.Context())
		ids := map[string]string{"contact": contactID, "outlet": fmt.Sprint(outletID), "user": fmt.Sprint(userID), "channel": fmt.Sprint(channelID)}

		table := map[string]routes.Route{}
		for _, r := range routes.Table {
			table[r.Method+" "+r.Path] = r
		}
		for _, er := range a.echo.Routes() {
			r, ok := table[er.Method+" "+er.Path]
			if !ok {
				t.Errorf("%s %s is registered but not in routes.Table", er.Method, er.Path)
				continue
			}
			want, ok := allowed[r.Name]
			if !ok {
				t.Errorf("route %s (%s %s) has no row in the authorisation matrix", r.Name, r.Method, r.Path)
				continue
			}
			path := concretePath(r, ids)
			if routes.IsAPI(r) {
				apiMatrixRow(t, a, r, path, want)
				continue
			}
			for _, role := range []string{"", "staff", "manager", "admin"} {
				b := a.browser()
				if role != "" {
					b.login(role + "@example.com")
				} else {
					b.get("/login") // an anonymous visitor still gets a CSRF token
				}
				expect := want
				switch {
				case r.Role == routes.Public:
				case role == "":
					expect = http.StatusSeeOther
				case !routes.Allows(role, r.Role):
					expect = http.StatusForbidden
				}
				if r.Name == routes.Login && role != "" {
					expect = http.StatusSeeOther // a signed-in user is sent on
				}
				var p page
				if r.Method == http.MethodGet {
					p = b.get(path)
				} else {
					p = b.post(path, url.Values{})
				}
				if p.status != expect {
					t.Errorf("%-6s %s %s as %q: status %d, want %d", r.Method, r.Path, r.Name, role, p.status, expect)
				}
				if expect == http.StatusSeeOther && role == "" && !strings.HasPrefix(p.header.Get("Location"), "/login") {
					t.Errorf("%s %s anonymous: redirect to %q, want /login", r.Method, r.Path, p.header.Get("Location"))
				}
				if expect == http.StatusForbidden && !strings.Contains(strings.ToLower(p.text(`[data-testid="error-page"]`)), "signed in as "+role) {
					t.Errorf("%s %s as %s: 403 without a plain explanation", r.Method, r.Path, role)
				}
			}
		}

		// In German the message names the role by its label.
		for _, c := range []struct{ role, path, want string }{
			{"staff", "/channels/new", "Das ist nur für Manager:innen und Admins; Sie sind als Mitarbeiter:in angemeldet. Fragen Sie einen Admin, wenn Sie es brauchen."},
			{"manager", "/webhooks", "Das ist nur für Admins; Sie sind als Manager:in angemeldet. Fragen Sie einen Admin, wenn Sie es brauchen."},
		} {
			b := a.browser()
			b.login(c.role + "@example.com")
			p := b.getIn(c.path, "de")
			wantStatus(t, p, http.StatusForbidden)
			if got := p.text(`[data-testid="error-page"] p`); !strings.Contains(got, c.want) {
				t.Errorf("%s as %s in German: %q, want %q", c.path, c.role, got, c.want)
			}
		}
	})
}

// concretePath fills a route's parameters with ids of real records.
func concretePath(r routes.Route, ids map[string]string) string {
	p := strings.Replace(r.Path, "/static/*", "/static/app.css", 1)
	if api, ok := strings.CutPrefix(p, "/api/v1"); ok {
		return "/api/v1" + concretePath(routes.Route{Path: api}, ids)
	}
	switch {
	case strings.HasPrefix(p, "/contacts/:id"):
		p = strings.Replace(strings.Replace(p, ":id", ids["contact"], 1), ":channel", ids["channel"], 1)
	case strings.HasPrefix(p, "/outlets/:id"):
		p = strings.Replace(p, ":id", ids["outlet"], 1)
	case strings.HasPrefix(p, "/users/:id"):
		p = strings.Replace(p, ":id", ids["user"], 1)
	case strings.HasPrefix(p, "/segments/:id"), strings.HasPrefix(p, "/views/:id"), strings.HasPrefix(p, "/exports/:id"), strings.HasPrefix(p, "/imports/:id"),
		strings.HasPrefix(p, "/tokens/:id"), strings.HasPrefix(p, "/account/tokens/:id"), strings.HasPrefix(p, "/webhooks/:id"),
		strings.HasPrefix(p, "/settings/places/:id"), strings.HasPrefix(p, "/bulk/:id"), strings.HasPrefix(p, "/interactions/:id"),
		strings.HasPrefix(p, "/campaigns/:id"), strings.HasPrefix(p, "/coverage/:id"), strings.HasPrefix(p, "/channels/:id"),
		strings.HasPrefix(p, "/settings/feeds/:id"), strings.HasPrefix(p, "/settings/fields/:id"), strings.HasPrefix(p, "/settings/keywords/:id"),
		strings.HasPrefix(p, "/settings/keywords/alerts/:id"):
		p = strings.Replace(strings.Replace(p, ":id", "999999", 1), ":delivery", "999999", 1) // records of others: 404 for everyone allowed
	case strings.HasPrefix(p, "/privacy/requests/:id"):
		p = strings.Replace(p, ":id", "999999", 1)
	case strings.HasPrefix(p, "/nominations/:id"), strings.HasPrefix(p, "/tasks/:id"):
		p = strings.Replace(p, ":id", "999999", 1) // an empty form is refused (422) before the lookup; done: 404
	}
	return p
}

// TestCSRFOnEveryUnsafeRoute: every POST route refuses a request without a
// token or with a wrong one (403), and nothing changes in the database.
func TestCSRFOnEveryUnsafeRoute(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		b := a.browser()
		b.login("admin@example.com")
		b.get("/contacts/new")
		contactID := idFrom(t, b.post("/contacts", contactForm()))
		ids := map[string]string{"contact": contactID, "outlet": fmt.Sprint(a.db.Client.Outlet.Query().FirstIDX(t.Context())),
			"user": fmt.Sprint(a.db.Client.User.Query().FirstIDX(t.Context())), "channel": fmt.Sprint(a.db.Client.SocialProfile.Query().FirstIDX(t.Context()))}
		counts := func() string {
			ctx, c := t.Context(), a.db.Client
			return fmt.Sprint(c.Contact.Query().CountX(ctx), c.Outlet.Query().CountX(ctx), c.User.Query().CountX(ctx),
				c.Interaction.Query().CountX(ctx), c.AuditEvent.Query().CountX(ctx), c.Session.Query().CountX(ctx))
		}
		before := counts()
		form := url.Values{"email": {"x@example.com"}, "password": {testPassword}, "last_name": {"Forged"}, "name": {"Forged"},
			"role": {"admin"}, "type": {"call"}, "subject": {"Forged"}, "occurred_at": {"2026-01-01T10:00"}, "confirm": {"yes"},
			"current": {testPassword}, "new": {"a new long password"}, "version": {"1"}}
		n := 0
		for _, r := range routes.Table {
			if r.Method != http.MethodPost || routes.IsAPI(r) { // the API ignores cookies: TestAPIProblems
				continue
			}
			if r.Name == routes.UnsubscribeOneClick { // RFC 8058: the signed link is the credential (TestUnsubscribeWithoutSignIn)
				continue
			}
			n++
			for name, tok := range map[string]string{"missing": "", "wrong": "forged-token"} {
				f := url.Values{"_csrf": {tok}}
				for k, v := range form {
					f[k] = v
				}
				if p := b.post(concretePath(r, ids), f); p.status != http.StatusForbidden {
					t.Errorf("POST %s with %s token: status %d, want 403", r.Path, name, p.status)
				}
			}
		}
		if n < 10 {
			t.Fatalf("only %d unsafe routes found", n)
		}
		if after := counts(); after != before {
			t.Errorf("forged requests changed the database: counts %s → %s", before, after)
		}
	})
}

// apiMatrixRow checks one API route for every kind of caller: no token 401,
// a token whose user's role is too low 403, else the route's status; every
// refusal is a problem document.
func apiMatrixRow(t *testing.T, a *app, r routes.Route, path string, want int) {
	t.Helper()
	for _, role := range []string{"", "staff", "manager", "admin"} {
		tok := ""
		if role != "" {
			tok = a.token(role+"@example.com", "write")
		}
		expect := want
		switch {
		case r.Role == routes.Public:
		case role == "":
			expect = http.StatusUnauthorized
		case !routes.Allows(role, r.Role):
			expect = http.StatusForbidden
		}
		var body any
		if r.Method != http.MethodGet {
			body = "{}"
		}
		res := a.api(tok).do(r.Method, path, body, "If-Match", `"999999"`)
		if res.status != expect {
			t.Errorf("%-6s %s %s as %q: status %d, want %d; %.300s", r.Method, r.Path, r.Name, role, res.status, expect, res.body)
		}
		if expect >= 400 {
			res.problem(t)
		}
	}
}
