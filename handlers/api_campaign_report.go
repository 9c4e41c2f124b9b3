package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
)

// APIFunnel is a campaign's progress: targets → pitched → replied → covered,
// and its pieces of coverage.
type APIFunnel struct {
	Targets int `json:"targets"`
	Pitched int `json:"pitched"`
	Replied int `json:"replied"`
	Covered int `json:"covered"`
	Pieces  int `json:"pieces"`
}

// APICount is a named figure of a report: pieces and their reach.
type APICount struct {
	Name   string `json:"name"`
	Pieces int    `json:"pieces"`
	Reach  int64  `json:"reach"`
}

// APICampaignReport is what a campaign brought, as the report page shows it (managers).
type APICampaignReport struct {
	CampaignID     int        `json:"campaign_id"`
	Funnel         APIFunnel  `json:"funnel"`
	Reach          int64      `json:"reach"`
	AdvocatePieces int        `json:"advocate_pieces"`
	Weeks          []APICount `json:"weeks"` // name: the week's Monday
	ByOutletType   []APICount `json:"by_outlet_type"`
	Sentiment      []APICount `json:"sentiment"`
	KeyMessages    []APICount `json:"key_messages"`
	TopContacts    []APICount `json:"top_contacts"`
}

// Report returns the campaign's report (managers, as the report page).
func (h *APICampaigns) Report(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	r, err := h.pages.svc.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := r.Funnel
	return c.JSON(http.StatusOK, APICampaignReport{CampaignID: r.Campaign.ID, Reach: r.Reach, AdvocatePieces: r.AdvocatePieces,
		Funnel: APIFunnel{Targets: f.Targets, Pitched: f.Pitched, Replied: f.Replied, Covered: f.Covered, Pieces: f.Pieces},
		Weeks:  apiCounts(r.Weeks), ByOutletType: apiCounts(r.ByOutletType), Sentiment: apiCounts(r.Sentiment),
		KeyMessages: apiCounts(r.KeyMessages), TopContacts: apiCounts(r.TopContacts)})
}

func apiCounts(cs []crm.Count) []APICount {
	out := make([]APICount, len(cs))
	for i, c := range cs {
		out[i] = APICount{Name: c.Name, Pieces: c.Pieces, Reach: c.Reach}
	}
	return out
}
