package handlers

import (
	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"

	"github.com/rapport-crm/rapport/handlers/routes"
)

// apiHandlers are the handlers of the JSON API's routes. A new resource adds
// its routes to routes.API, its operations to openapi.json and its handlers
// here; TestOpenAPIMatchesRoutes fails until all three agree.
func apiHandlers(contacts *Contacts, exports *Exports, privacy *crm.Privacy, campaigns *Campaigns) map[string]echo.HandlerFunc {
	ac := &APIContacts{pages: contacts, privacy: privacy}
	ai := &APIInteractions{pages: contacts}
	ao := &APIOutlets{pages: contacts}
	as := &APISegments{pages: contacts}
	ae := &APIExports{pages: exports}
	acp := &APICampaigns{pages: campaigns}
	return map[string]echo.HandlerFunc{
		routes.APIOpenAPI:           OpenAPI,
		routes.APIDocs:              APIReference,
		routes.APIContacts:          ac.List,
		routes.APIContactCreate:     ac.Create,
		routes.APIContactShow:       ac.Show,
		routes.APIContactUpdate:     ac.Update,
		routes.APIContactDelete:     ac.Delete,
		routes.APIInteractions:      ai.List,
		routes.APIInteractionCreate: ai.Create,
		routes.APIOutlets:           ao.List,
		routes.APIOutletShow:        ao.Show,
		routes.APISegments:          as.List,
		routes.APISegmentMembers:    as.Members,
		routes.APIExports:           ae.List,
		routes.APIExportCreate:      ae.Create,
		routes.APIExportShow:        ae.Show,
		routes.APIExportDownload:    ae.Download,
		routes.APICampaigns:         acp.List,
		routes.APICampaignCreate:    acp.Create,
		routes.APICampaignShow:      acp.Show,
		routes.APICampaignUpdate:    acp.Update,
		routes.APICampaignReport:    acp.Report,
		routes.APITargets:           acp.Targets,
		routes.APITargetsAdd:        acp.AddTargets,
		routes.APITargetsStatus:     acp.SetStatus,
		routes.APIPitch:             acp.Pitch,
		routes.APICoverage:          acp.Coverage,
		routes.APICoverageCreate:    acp.CreateCoverage,
		routes.APICoverageShow:      acp.ShowCoverage,
	}
}
