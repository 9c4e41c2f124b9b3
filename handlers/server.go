// Package handlers is Rapport's HTTP layer: it binds requests, calls crm and
// ent, and renders templ pages or redirects. Nothing else lives here.
package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/crm/webhook"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/static"
)

// Config holds the web settings.
type Config struct {
	SecureCookies  bool             // mark cookies Secure (always when served over TLS)
	SessionIdle    time.Duration    // sign out after this long without a request
	SessionMax     time.Duration    // sign out this long after sign-in, whatever happens
	MaxBodyBytes   int64            // largest request body accepted
	MaxUploadBytes int64            // largest import file accepted (the upload route only); 0 means 50 MiB
	Now            func() time.Time // the clock of sessions and throttles; nil means time.Now
	Search         Searcher         // the search index; nil: no search page, the contact list filters with SQL
	// LookupTTL bounds how stale the contact list's cached filter choices,
	// stages and totals are after a write this process did not make (with a
	// search index, its change feed invalidates them sooner); 0 means
	// crm.DefaultLookupTTL, a negative value caches nothing. A session's
	// sign-in is cached for at most two seconds: every write that ends a
	// session or changes its user drops it at once here and, through
	// d.WatchSessions, on the other servers of a PostgreSQL database.
	LookupTTL time.Duration
	// RequestTimeout bounds each request (not downloads); 0 means
	// DefaultRequestTimeout. Past it the request answers 503.
	RequestTimeout time.Duration
	// APIRate is how many requests one API token may make per minute; 0
	// means DefaultAPIRate, negative no limit.
	APIRate int
	// Metrics, when set, counts and times every request; MetricsToken, when
	// set, also serves them at /metrics to Authorization: Bearer MetricsToken.
	Metrics      *Metrics
	MetricsToken string
	// SSO, when set, offers sign-in with an OpenID Connect provider.
	SSO *SSOConfig
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (RAPPORT_TRUSTED_PROXIES); without them the TCP peer is the
	// client, and behind a proxy every sign-in would count against the
	// proxy's address in the login throttle.
	TrustedProxies []netip.Prefix
	// FetchPrivate lets the coverage reader request pages on loopback and
	// private addresses (an admin setting, RAPPORT_FETCH_PRIVATE; off by default).
	FetchPrivate bool
	// Mail is the environment's mail server (RAPPORT_SMTP_*); an admin's
	// settings on /settings/mail take precedence.
	Mail notify.Settings
}

// DefaultConfig is what an unconfigured server uses.
var DefaultConfig = Config{SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, MaxBodyBytes: 1 << 20}

// New builds the echo server with every route, middleware and the error funnel.
func New(d *db.DB, cfg Config, log *slog.Logger) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	e.HTTPErrorHandler = errorHandler(log)

	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	sessions := &Sessions{client: d.Client, cfg: cfg, now: cfg.Now}
	if d.Sessions != nil {
		d.Sessions.Subscribe(sessions.cache.revoke) // sign-outs, deactivations, role changes…: dropped after commit
	}
	tokens := crm.NewAPITokens(d.Client, cfg.Now)
	api := &apiAuth{tokens: tokens, limiter: newRateLimiter(cfg.APIRate, cfg.Now)}
	e.Pre(middleware.RequestID())
	if cfg.Metrics != nil {
		e.Use(cfg.Metrics.Middleware)
	}
	e.Use(middleware.Recover(), removeUploads, requestLogger(log), requestDeadline(cfg.RequestTimeout), securityHeaders,
		bodyLimits(cfg), api.withSessions(sessions.Load), speak, csrf(cfg), validUTF8)

	logins := crm.NewLogins(d.Client, d.Dialect, cfg.Now)
	auth := &Auth{client: d.Client, logins: logins, sessions: sessions, sso: cfg.SSO}
	var sso *SSO
	if cfg.SSO != nil {
		sso = &SSO{cfg: *cfg.SSO, client: d.Client, sessions: sessions, secure: cfg.SecureCookies}
	}
	contacts := NewContacts(d.Client)
	if cfg.LookupTTL >= 0 {
		contacts.lookups = crm.NewLookups(d.Client, cfg.LookupTTL)
		contacts.lookups.LogTo(log) // the start page's background refreshes
		if n, ok := cfg.Search.(interface{ OnChange(func([]int)) }); ok {
			n.OnChange(contacts.lookups.IndexChanged) // writes of other processes and raw SQL (imports), within the index's lag
		}
	}
	contacts.writer = crm.NewContactWriter(d.Client, d.Dialect, cfg.Now, contacts.lookups)
	outlets := NewOutlets(d.Client)
	users, account, auditLog := NewUsers(d.Client), NewAccount(d.Client, logins), NewAuditLog(d.Client)
	var matcher crm.TextMatcher // nil without an index: text then matches names and e-mails in SQL
	if cfg.Search != nil {
		matcher = cfg.Search
	}
	// One resolver for the list, the advocate list, segments and exports.
	sels := crm.NewSelections(d.Client, d.Dialect, cfg.Now, matcher, contacts.lookups)
	contacts.selections = sels
	segments, exports := NewSegments(d.Client, sels), NewExports(d, sels)
	nominations, advocates, tasks := NewNominations(d.Client), NewAdvocates(d.Client), NewTasks(d.Client)
	advocates.selections, advocates.lookups = sels, contacts.lookups
	stageSettings := NewStageSettings(d.Client)
	imports := NewImports(d.Client)
	var purger crm.IndexPurger // the index's deletions made physical on erasure
	if p, ok := cfg.Search.(crm.IndexPurger); ok {
		purger = p
	}
	privacy := NewPrivacy(crm.NewPrivacy(d, contacts.writer, purger), cfg.Now)
	places, duplicates := NewPlaces(d.Client, contacts.writer), NewDuplicates(d.Client, contacts.writer)
	fields := NewCustomFields(d.Client, contacts.writer)
	interactions := NewInteractions(d.Client)
	bulk := NewBulk(d.Client, crm.NewBulkActions(d.Client, contacts.writer, sels, cfg.Now))
	campaigns := NewCampaigns(d.Client, crm.NewCampaigns(d.Client, d.Dialect, sels, cfg.Now), sels, crm.NewPageFetcher(cfg.FetchPrivate), cfg.Now)
	searchPage := NewSearch(d.Client, sels, cfg.Search)
	searchPage.fields, searchPage.lookups = contacts.customFields, contacts.lookups // the list's columns
	handlers := map[string]echo.HandlerFunc{
		routes.Health:               health(d.SQL),
		routes.Login:                auth.Form,
		routes.LoginSubmit:          auth.Login,
		routes.Logout:               auth.Logout,
		routes.Dashboard:            NewDashboard(d.Client, contacts.lookups).Show,
		routes.Contacts:             contacts.List,
		routes.ContactNew:           contacts.New,
		routes.ContactCreate:        contacts.Create,
		routes.ContactShow:          contacts.Show,
		routes.ContactEdit:          contacts.Edit,
		routes.ContactUpdate:        contacts.Update,
		routes.ContactDelete:        privacy.Delete, // an erasure that reaches everything
		routes.ContactTimeline:      contacts.Timeline,
		routes.InteractionLog:       interactions.Create,
		routes.InteractionEdit:      interactions.Edit,
		routes.InteractionUpdate:    interactions.Update,
		routes.InteractionDelete:    interactions.Delete,
		routes.Search:               searchPage.Show,
		routes.Outlets:              outlets.List,
		routes.OutletShow:           outlets.Show,
		routes.OutletNew:            outlets.New,
		routes.OutletCreate:         outlets.Create,
		routes.OutletEdit:           outlets.Edit,
		routes.OutletUpdate:         outlets.Update,
		routes.ContactHistory:       auditLog.History,
		routes.Audit:                auditLog.List,
		routes.Users:                users.List,
		routes.UserNew:              users.New,
		routes.UserCreate:           users.Create,
		routes.UserEdit:             users.Edit,
		routes.UserUpdate:           users.Update,
		routes.Account:              account.Show,
		routes.AccountPassword:      account.Password,
		routes.AccountLocale:        account.Locale,
		routes.Segments:             segments.List,
		routes.SegmentCreate:        segments.Create,
		routes.SegmentDelete:        segments.Delete,
		routes.ViewCreate:           contacts.SaveView,
		routes.ViewOpen:             contacts.OpenView,
		routes.ViewRename:           contacts.RenameView,
		routes.ViewDelete:           contacts.DeleteView,
		routes.ViewDefault:          contacts.SetDefaultView,
		routes.ViewDefaultClear:     contacts.ClearDefaultView,
		routes.Exports:              exports.List,
		routes.ExportNew:            exports.New,
		routes.ExportCreate:         exports.Create,
		routes.ExportShow:           exports.Show,
		routes.ExportDownload:       exports.Download,
		routes.ExportApprove:        exports.Approve,
		routes.ExportReject:         exports.Reject,
		routes.Imports:              imports.List,
		routes.ImportNew:            imports.New,
		routes.ImportCreate:         imports.Create,
		routes.ImportShow:           imports.Show,
		routes.ImportSettings:       imports.Settings,
		routes.ImportDryRun:         imports.DryRun,
		routes.ImportRun:            imports.Run,
		routes.ImportProgress:       imports.Progress,
		routes.ImportRejected:       imports.Rejected,
		routes.ImportRevert:         imports.Revert,
		routes.Static:               echo.WrapHandler(static.Handler()),
		routes.NominationCreate:     nominations.Create,
		routes.NominationInfo:       nominations.Info,
		routes.NominationDecide:     nominations.Decide,
		routes.AdvocateReview:       advocates.Review,
		routes.Advocates:            advocates.List,
		routes.Coverage:             advocates.Coverage,
		routes.Tasks:                tasks.List,
		routes.TaskCreate:           tasks.Create,
		routes.TaskDone:             tasks.Done,
		routes.StageSettings:        stageSettings.Edit,
		routes.StageSettingsSave:    stageSettings.Save,
		routes.Places:               places.List,
		routes.PlaceSave:            places.Save,
		routes.PlaceDelete:          places.Delete,
		routes.PlacesNormalize:      places.Normalize,
		routes.CustomFields:         fields.List,
		routes.CustomFieldCreate:    fields.Create,
		routes.CustomFieldEdit:      fields.Edit,
		routes.CustomFieldUpdate:    fields.Update,
		routes.CustomFieldDelete:    fields.Delete,
		routes.Duplicates:           duplicates.List,
		routes.DuplicateCheck:       duplicates.Check,
		routes.ContactDeleteConfirm: privacy.ConfirmDelete,
		routes.MergeForm:            duplicates.MergeForm,
		routes.Merge:                duplicates.Merge,
		routes.MergeUndo:            duplicates.UndoMerge,

		routes.BulkPreview: bulk.Preview,
		routes.BulkCreate:  bulk.Create,
		routes.BulkList:    bulk.List,
		routes.BulkShow:    bulk.Show,
		routes.BulkUndo:    bulk.Undo,

		routes.ImportRevertConfirm: imports.RevertConfirm, // the revert asks first

		routes.ContactConsent:     contacts.Consent,
		routes.ContactConsentLift: contacts.LiftConsent,
		routes.ContactAccess:      privacy.Access,
		routes.ContactErase:       privacy.Erase,
		routes.Privacy:            privacy.Show,
		routes.PrivacyRecord:      privacy.Record,
		routes.PrivacyRequest:     privacy.Request,
		routes.PrivacyRequestJSON: privacy.RequestJSON,
		routes.PrivacyRequestDone: privacy.RequestDone,
		routes.PrivacySweep:       privacy.Sweep,
		routes.PrivacyReview:      privacy.Review,
	}
	account.tokens = tokens
	notes := &Notifications{client: d.Client, env: cfg.Mail, now: cfg.Now}
	account.notify = notes
	handlers[routes.AccountNotifications], handlers[routes.AccountCalendar] = notes.Choose, notes.CalendarNew
	handlers[routes.AccountCalendarRevoke], handlers[routes.Calendar] = notes.CalendarRevoke, notes.Calendar
	handlers[routes.Unsubscribe], handlers[routes.UnsubscribeOneClick] = notes.Unsubscribe, notes.UnsubscribeOneClick
	handlers[routes.MailSettings], handlers[routes.MailSettingsSave] = notes.Show, notes.Save
	tok := &Tokens{tokens: tokens, account: account}
	handlers[routes.AccountTokenCreate], handlers[routes.AccountTokenRevoke] = tok.Create, tok.RevokeOwn
	handlers[routes.APITokens], handlers[routes.APITokenRevoke] = tok.List, tok.Revoke
	hooks := &Webhooks{svc: webhook.New(d.Client, webhook.Options{Now: cfg.Now})}
	handlers[routes.Webhooks], handlers[routes.WebhookCreate], handlers[routes.WebhookShow] = hooks.List, hooks.Create, hooks.Show
	handlers[routes.WebhookDelete], handlers[routes.WebhookEnable], handlers[routes.WebhookReplay] = hooks.Delete, hooks.Enable, hooks.Replay
	handlers[routes.LoginSSO], handlers[routes.LoginSSOCallback] = ssoRoute(sso, (*SSO).Start), ssoRoute(sso, (*SSO).Callback)
	handlers[routes.Ready], handlers[routes.Metrics] = ready(d.SQL, d, cfg.Search), metricsRoute(cfg.Metrics, cfg.MetricsToken)
	for name, h := range apiHandlers(contacts, exports, privacy.p, campaigns) {
		handlers[name] = h
	}
	for name, h := range campaigns.routes() {
		handlers[name] = h
	}
	owned := NewOwnedChannels(d.Client, contacts.lookups, cfg.Now)
	for name, h := range owned.routes() {
		handlers[name] = h
	}
	for name, h := range owned.figureRoutes(contacts.writer) {
		handlers[name] = h
	}
	for name, h := range owned.keywordRoutes(campaigns.svc) {
		handlers[name] = h
	}
	for _, r := range routes.Table {
		h, ok := handlers[r.Name]
		if !ok {
			panic("handlers: no handler for route " + r.Name)
		}
		if routes.IsAPI(r) {
			e.Add(r.Method, r.Path, apiAuthorize(r.Role, h)).Name = r.Name
			continue
		}
		e.Add(r.Method, r.Path, authorize(r.Role, h)).Name = r.Name
	}
	return e
}

func bodyLimit(n int64) string {
	if n <= 0 {
		n = DefaultConfig.MaxBodyBytes
	}
	return strconv.FormatInt(n, 10) + "B"
}

// securityHeaders sets the headers every response carries, error pages and
// downloads included: no framing, no sniffing, a strict CSP (scripts only from
// our origin and only with this response's nonce, no inline script, no inline
// style), and no caching of pages that hold personal data.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		c.SetRequest(c.Request().WithContext(templ.WithNonce(c.Request().Context(), nonce)))
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self'; "+
			"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

// clientIP finds the client's address. Rapport runs behind no proxy by
// default: the address is the TCP peer's, never a header anyone can set.
// Behind the given proxies it is the nearest address in X-Forwarded-For
// that is not one of them (echo walks the header from the right).
func clientIP(proxies []netip.Prefix) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Masked().Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
