package routes

// Route names of the JSON API (issue 17). Every API route is in Table, so the
// authorisation matrix test walks them like the pages.
const (
	APIOpenAPI           = "api.openapi"
	APIDocs              = "api.docs"
	APIContacts          = "api.contacts"
	APIContactCreate     = "api.contact.create"
	APIContactShow       = "api.contact.show"
	APIContactUpdate     = "api.contact.update"
	APIContactDelete     = "api.contact.delete"
	APIInteractions      = "api.interactions"
	APIInteractionCreate = "api.interaction.create"
	APIOutlets           = "api.outlets"
	APIOutletShow        = "api.outlet.show"
	APISegments          = "api.segments"
	APISegmentMembers    = "api.segment.members"
	APIExports           = "api.exports"
	APIExportCreate      = "api.export.create"
	APIExportShow        = "api.export.show"
	APIExportDownload    = "api.export.download"
	APICampaigns         = "api.campaigns"
	APICampaignCreate    = "api.campaign.create"
	APICampaignShow      = "api.campaign.show"
	APICampaignUpdate    = "api.campaign.update"
	APICampaignReport    = "api.campaign.report"
	APITargets           = "api.targets"
	APITargetsAdd        = "api.targets.add"
	APITargetsStatus     = "api.targets.status"
	APIPitch             = "api.pitch"
	APICoverage          = "api.coverage"
	APICoverageCreate    = "api.coverage.create"
	APICoverageShow      = "api.coverage.show"
	APITokens            = "tokens"
	APITokenRevoke       = "token.revoke"
	AccountTokenCreate   = "account.token.create"
	AccountTokenRevoke   = "account.token.revoke"
	Webhooks             = "webhooks"
	WebhookCreate        = "webhook.create"
	WebhookShow          = "webhook.show"
	WebhookDelete        = "webhook.delete"
	WebhookReplay        = "webhook.replay"
	WebhookEnable        = "webhook.enable"
	Ready                = "ready"
	Metrics              = "metrics"
	LoginSSO             = "login.sso"
	LoginSSOCallback     = "login.sso.callback"
)

// API lists the routes of the JSON API and of the pages that manage its
// tokens and webhooks. API paths start with /api/: they authenticate with a
// bearer token only and answer errors as application/problem+json.
var API = []Route{
	{APIOpenAPI, "GET", "/api/v1/openapi.json", Public},
	{APIDocs, "GET", "/api/docs", Public},
	{APIContacts, "GET", "/api/v1/contacts", Staff},
	{APIContactCreate, "POST", "/api/v1/contacts", Staff},
	{APIContactShow, "GET", "/api/v1/contacts/:id", Staff},
	{APIContactUpdate, "PATCH", "/api/v1/contacts/:id", Staff},
	{APIContactDelete, "DELETE", "/api/v1/contacts/:id", Manager},
	{APIInteractions, "GET", "/api/v1/contacts/:id/interactions", Staff},
	{APIInteractionCreate, "POST", "/api/v1/contacts/:id/interactions", Staff},
	{APIOutlets, "GET", "/api/v1/outlets", Staff},
	{APIOutletShow, "GET", "/api/v1/outlets/:id", Staff},
	{APISegments, "GET", "/api/v1/segments", Staff},
	{APISegmentMembers, "GET", "/api/v1/segments/:id/contacts", Staff},
	{APIExports, "GET", "/api/v1/exports", Staff},
	{APIExportCreate, "POST", "/api/v1/exports", Staff},
	{APIExportShow, "GET", "/api/v1/exports/:id", Staff},
	{APIExportDownload, "GET", "/api/v1/exports/:id/download", Staff},
	// Campaigns: staff run those they own or are on the team of, managers
	// all (checked per record in crm.Campaigns, as on the pages).
	{APICampaigns, "GET", "/api/v1/campaigns", Staff},
	{APICampaignCreate, "POST", "/api/v1/campaigns", Staff},
	{APICampaignShow, "GET", "/api/v1/campaigns/:id", Staff},
	{APICampaignUpdate, "PATCH", "/api/v1/campaigns/:id", Staff},
	{APICampaignReport, "GET", "/api/v1/campaigns/:id/report", Manager},
	{APITargets, "GET", "/api/v1/campaigns/:id/targets", Staff},
	{APITargetsAdd, "POST", "/api/v1/campaigns/:id/targets", Staff},
	{APITargetsStatus, "POST", "/api/v1/campaigns/:id/targets/status", Staff},
	{APIPitch, "POST", "/api/v1/campaigns/:id/pitch", Staff},
	{APICoverage, "GET", "/api/v1/campaigns/:id/coverage", Staff},
	{APICoverageCreate, "POST", "/api/v1/campaigns/:id/coverage", Staff},
	{APICoverageShow, "GET", "/api/v1/coverage/:id", Staff},
	{AccountTokenCreate, "POST", "/account/tokens", Staff},
	{AccountTokenRevoke, "POST", "/account/tokens/:id/revoke", Staff},
	{APITokens, "GET", "/tokens", Admin},
	{APITokenRevoke, "POST", "/tokens/:id/revoke", Admin},
	{Ready, "GET", "/readyz", Public},
	{LoginSSO, "GET", "/login/sso", Public},
	{LoginSSOCallback, "GET", "/login/sso/callback", Public},
	{Webhooks, "GET", "/webhooks", Admin},
	{WebhookCreate, "POST", "/webhooks", Admin},
	{WebhookShow, "GET", "/webhooks/:id", Admin},
	{WebhookDelete, "POST", "/webhooks/:id/delete", Admin},
	{WebhookEnable, "POST", "/webhooks/:id/enable", Admin},
	{WebhookReplay, "POST", "/webhooks/:id/deliveries/:delivery/replay", Admin},
	{Metrics, "GET", "/metrics", Public}, // needs the metrics token (checked by its handler)
}

// IsAPI reports whether r is a JSON API route (token auth, problem+json).
func IsAPI(r Route) bool { return len(r.Path) >= 5 && r.Path[:5] == "/api/" }
