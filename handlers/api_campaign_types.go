package handlers

import (
	"errors"
	"maps"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APICampaign is a campaign as the API shows it and takes it (create and
// patch; id, version, client, owner and the times are read-only).
type APICampaign struct {
	ID           int        `json:"id"`
	Version      int        `json:"version"`
	ClientID     int        `json:"client_id"`
	Client       string     `json:"client"`
	Name         string     `json:"name"`
	Goal         string     `json:"goal"`
	KeyMessages  []string   `json:"key_messages"`
	StartsAt     time.Time  `json:"starts_at"`
	EndsAt       *time.Time `json:"ends_at"`
	EmbargoUntil *time.Time `json:"embargo_until"`
	Status       string     `json:"status"`
	NoReplyDays  int        `json:"no_reply_days"`
	Team         []int      `json:"team"` // user ids of the team besides the owner
	OwnerID      *int       `json:"owner_id"`
	Owner        string     `json:"owner"`
	FrozenAt     *time.Time `json:"frozen_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// APICampaignRow is a campaign in a list, with its progress.
type APICampaignRow struct {
	ID       int       `json:"id"`
	Name     string    `json:"name"`
	ClientID int       `json:"client_id"`
	Client   string    `json:"client"`
	Status   string    `json:"status"`
	OwnerID  *int      `json:"owner_id"`
	Owner    string    `json:"owner"`
	StartsAt time.Time `json:"starts_at"`
	Targets  int       `json:"targets"`
	Pitched  int       `json:"pitched"`
	Replied  int       `json:"replied"`
	Covered  int       `json:"covered"`
	Coverage int       `json:"coverage"`
	URL      string    `json:"url"`
}

func apiCampaign(c *ent.Campaign) APICampaign {
	in := crm.CampaignInputOf(c)
	out := APICampaign{ID: c.ID, Version: c.Version, ClientID: c.BrandID, Name: c.Name, Goal: c.Goal, KeyMessages: nonNil(c.KeyMessages),
		StartsAt: c.StartsAt, EndsAt: c.EndsAt, EmbargoUntil: c.EmbargoUntil, Status: string(c.Status), NoReplyDays: c.NoReplyDays,
		Team: in.TeamIDs, OwnerID: c.OwnerID, FrozenAt: c.FrozenAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if out.Team == nil {
		out.Team = []int{}
	}
	if b := c.Edges.Brand; b != nil {
		out.Client = b.Name
	}
	if o := c.Edges.Owner; o != nil {
		out.Owner = o.Name
	}
	return out
}

// input is the campaign as the service's desired state.
func (a APICampaign) input() crm.CampaignInput {
	return crm.CampaignInput{BrandID: a.ClientID, Name: a.Name, Goal: a.Goal, KeyMessages: a.KeyMessages, StartsAt: a.StartsAt,
		EndsAt: a.EndsAt, EmbargoUntil: a.EmbargoUntil, Status: a.Status, NoReplyDays: a.NoReplyDays, TeamIDs: a.Team}
}

func apiCampaignRows(rows []crm.CampaignRow) []APICampaignRow {
	out := make([]APICampaignRow, len(rows))
	for i, r := range rows {
		out[i] = APICampaignRow{ID: r.ID, Name: r.Name, ClientID: r.BrandID, Client: r.Client, Status: r.Status, OwnerID: r.OwnerID,
			Owner: r.Owner, StartsAt: r.StartsAt, Targets: r.Targets, Pitched: r.Pitched, Replied: r.Replied, Covered: r.Covered,
			Coverage: r.Coverage, URL: routes.URL(routes.APICampaignShow, r.ID)}
	}
	return out
}

// APICoverage is a published piece of a campaign's coverage.
type APICoverage struct {
	ID          int         `json:"id"`
	CampaignID  int         `json:"campaign_id"`
	URL         string      `json:"url"`
	Title       string      `json:"title"`
	Outlet      string      `json:"outlet"`
	OutletType  string      `json:"outlet_type"`
	PublishedAt time.Time   `json:"published_at"`
	Kind        string      `json:"kind"`
	Reach       *int64      `json:"reach"`
	Sentiment   string      `json:"sentiment"`
	KeyMessages []string    `json:"key_messages"`
	Authors     []APIPerson `json:"authors"`
	CreatedAt   time.Time   `json:"created_at"`
	Warnings    []string    `json:"warnings,omitempty"` // what the save wants checked (on create)
}

func apiCoverage(it *ent.CoverageItem) APICoverage {
	out := APICoverage{ID: it.ID, CampaignID: it.CampaignID, URL: it.URL, Title: it.Title, Outlet: it.OutletName, OutletType: it.OutletType,
		PublishedAt: it.PublishedAt, Kind: string(it.Kind), Reach: it.Reach, Sentiment: string(it.Sentiment),
		KeyMessages: nonNil(it.KeyMessages), Authors: []APIPerson{}, CreatedAt: it.CreatedAt}
	for _, a := range it.Edges.Authors {
		if ct := a.Edges.Contact; ct != nil {
			out.Authors = append(out.Authors, APIPerson{ID: ct.ID, Name: crm.DisplayName(ct.FirstName, ct.LastName)})
		}
	}
	return out
}

// apiFields renames the service's field names in err to the API's keys.
func apiFields(err error, names map[string]string) error {
	var e *crm.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = maps.Clone(e.Fields)
	for from, to := range names {
		if d, ok := out.Fields[from]; ok {
			delete(out.Fields, from)
			out.Fields[to] = d
		}
	}
	return &out
}
