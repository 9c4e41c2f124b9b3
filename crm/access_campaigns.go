package crm

import (
	"context"
	"strconv"
)

// accessCampaigns is the access report's section of the campaigns a person
// was pitched in, whoever runs them (CampaignDataOfContact).
func accessCampaigns(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "campaigns", Title: "Campaigns and pitches"}
	cs, err := CampaignDataOfContact(ctx, a.client, id)
	if err != nil {
		return s, err
	}
	for _, p := range cs.Pitches {
		s.Rows = append(s.Rows, AccessRow{field("Campaign", p.Campaign), field("Client", p.Client), field("Pitch status", p.Status),
			field("On the list since", timeText(&p.AddedAt)), field("Pitched", timeText(p.PitchedAt)), field("Replied", timeText(p.RepliedAt)),
			field("Pitches", strconv.Itoa(p.PitchCount))})
	}
	return s, nil
}

// accessCoverage is the section of the coverage a person authored.
func accessCoverage(ctx context.Context, a *accessReader, id int) (AccessSection, error) {
	s := AccessSection{Key: "coverage", Title: "Coverage they authored"}
	cs, err := CampaignDataOfContact(ctx, a.client, id)
	if err != nil {
		return s, err
	}
	for _, c := range cs.Coverage {
		reach := ""
		if c.Reach != nil {
			reach = strconv.FormatInt(*c.Reach, 10)
		}
		s.Rows = append(s.Rows, AccessRow{field("Title", c.Title), field("Address", c.URL), field("Outlet", c.Outlet),
			field("Campaign", c.Campaign), field("Published", timeText(&c.PublishedAt)), field("Kind", c.Kind),
			field("Tone", c.Sentiment), field("Reach", reach)})
	}
	return s, nil
}
