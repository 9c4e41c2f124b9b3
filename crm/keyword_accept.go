package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/keywordalert"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// AcceptAsCoverage turns alert id, a coverage candidate, into a coverage
// item of campaignID (0: the rule's campaign) through the one coverage
// writer, AddCoverage (audited, the author's timeline, the target marked
// covered), and remembers the item on the alert. A post already on record
// as coverage is linked, not saved twice (created false).
func (s *KeywordRules) AcceptAsCoverage(ctx context.Context, camps *Campaigns, id, campaignID int) (item *ent.CoverageItem, created bool, err error) {
	a, err := s.client.KeywordAlert.Query().Where(keywordalert.ID(id)).
		WithPost(func(q *ent.FeedPostQuery) { q.WithFeed(func(q *ent.FeedQuery) { q.WithSocialProfile() }) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, false, Errorf(ENotFound, "This alert does not exist (any more).")
	}
	if err != nil {
		return nil, false, fmt.Errorf("accept alert %d: %w", id, err)
	}
	if a.CoverageItemID != nil {
		return nil, false, Errorf(EConflict, "This alert is coverage already.")
	}
	if campaignID == 0 && a.CampaignID != nil {
		campaignID = *a.CampaignID
	}
	if campaignID == 0 {
		return nil, false, (FieldErrors{"campaign": "Choose the campaign the coverage belongs to."}).Err()
	}
	p := a.Edges.Post
	in := CoverageInput{CampaignID: campaignID, URL: p.Link, Title: Truncate(postOrLink(p), 500), PublishedAt: p.PublishedAt,
		Kind: string(coverageitem.KindSocialPost), Sentiment: string(coverageitem.SentimentNeutral)}
	if f := p.Edges.Feed; f != nil && f.Edges.SocialProfile != nil {
		switch f.Edges.SocialProfile.Platform {
		case socialprofile.PlatformBlog, socialprofile.PlatformPodcast, socialprofile.PlatformNewsletter:
			in.Kind = string(coverageitem.KindBlogPost)
		}
	}
	if p.ContactID != nil {
		in.AuthorIDs = []int{*p.ContactID}
	}
	item, _, err = camps.AddCoverage(ctx, in)
	created = err == nil
	if ErrorCode(err) == EConflict && in.URL != "" {
		key, _ := NormalizeURL(in.URL)
		if item, err = s.client.CoverageItem.Query().Where(coverageitem.URLKey(key)).First(ctx); err != nil {
			return nil, false, fmt.Errorf("accept alert %d: %w", id, err)
		}
	} else if err != nil {
		return nil, false, err
	}
	if err := s.client.KeywordAlert.UpdateOneID(id).SetCoverageItemID(item.ID).Exec(ctx); err != nil {
		return nil, false, fmt.Errorf("accept alert %d: %w", id, err)
	}
	return item, created, nil
}
