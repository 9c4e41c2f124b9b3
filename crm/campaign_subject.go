package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// ContactPitch is one campaign a contact was a target of, with their pitch.
type ContactPitch struct {
	CampaignID           int
	Campaign, Client     string
	Status, Source       string
	AddedAt              time.Time
	PitchedAt, RepliedAt *time.Time
	PitchCount           int
}

// ContactCoverage is one piece a contact authored.
type ContactCoverage struct {
	ID, CampaignID               int
	Campaign, Title, URL, Outlet string
	Kind, Sentiment              string
	PublishedAt                  time.Time
	Reach                        *int64
}

// ContactCampaigns is everything campaigns hold about one person.
type ContactCampaigns struct {
	Pitches  []ContactPitch
	Coverage []ContactCoverage
}

// CampaignDataOfContact returns every campaign contact id was a target of
// (with the pitch's state and times) and every coverage item they authored,
// whoever runs the campaigns: for a data subject access request. The pitch
// and reply interactions themselves are on the contact's timeline. These are
// the contact card's campaign branches alone (the contact page reads them,
// narrowed to what its viewer may see, with the card).
func CampaignDataOfContact(ctx context.Context, client *ent.Client, id int) (*ContactCampaigns, error) {
	p, err := panelQuery(ctx, client, campaignBranches("$2", "$3"), id, 0, 1)
	if err != nil {
		return nil, fmt.Errorf("campaigns of contact %d: %w", id, err)
	}
	return p.campaigns(), nil
}
