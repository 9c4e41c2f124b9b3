package routes

// Route names of campaigns, pitches and coverage (issue 13).
const (
	Campaigns          = "campaigns"
	CampaignNew        = "campaign.new"
	CampaignCreate     = "campaign.create"
	CampaignShow       = "campaign.show"
	CampaignStatus     = "campaign.status"
	CampaignTargets    = "campaign.targets"
	CampaignPitch      = "campaign.pitch"
	CampaignBulk       = "campaign.bulk"
	CampaignReport     = "campaign.report"
	CampaignReportXLSX = "campaign.report.xlsx"
	CampaignTargetsCSV = "campaign.targets.csv"
	CoverageCreate     = "coverage.create"
	CoverageImport     = "coverage.import"
	ClientCreate       = "client.create"
)

// campaignRoutes are the routes of campaigns: staff run the campaigns they
// own or are on the team of (checked per record in crm.Campaigns), managers
// see all, add clients and read the reports.
var campaignRoutes = []Route{
	{Campaigns, "GET", "/campaigns", Staff},
	{CampaignNew, "GET", "/campaigns/new", Staff},
	{CampaignCreate, "POST", "/campaigns", Staff},
	{CampaignShow, "GET", "/campaigns/:id", Staff},
	{CampaignStatus, "POST", "/campaigns/:id/status", Staff},
	{CampaignTargets, "POST", "/campaigns/:id/targets", Staff},
	{CampaignPitch, "POST", "/campaigns/:id/pitch", Staff},
	{CampaignBulk, "POST", "/campaigns/:id/bulk", Staff},
	{CampaignReport, "GET", "/campaigns/:id/report", Manager},
	{CampaignReportXLSX, "GET", "/campaigns/:id/report.xlsx", Manager},
	{CampaignTargetsCSV, "GET", "/campaigns/:id/targets.csv", Staff},
	{CoverageCreate, "POST", "/campaigns/:id/coverage", Staff},
	{CoverageImport, "POST", "/campaigns/:id/coverage/import", Staff},
	{ClientCreate, "POST", "/clients", Manager},
}
