package crm

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/feedpost"
	"github.com/rapport-crm/rapport/ent/predicate"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// neverLeased is the lease_until of a feed nobody holds.
var neverLeased = time.Unix(0, 0).UTC()

// setFeed gives the channel that where selects the feed at url: a new feed
// is due at once, a changed address starts over (no validators, no errors),
// an empty one removes the feed and its posts.
func setFeed(ctx context.Context, tx *ent.Tx, where predicate.Feed, url string, create func(*ent.FeedCreate)) error {
	old, err := tx.Feed.Query().Where(where).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("set feed: %w", err)
	}
	now := timeNow().UTC()
	switch {
	case old == nil && url == "":
		return nil
	case old == nil:
		c := tx.Feed.Create().SetURL(url).SetNextPollAt(now).SetLeaseUntil(neverLeased)
		create(c)
		err = c.Exec(ctx)
	case url == "":
		// The posts first, by their own mutation: the outbox takes the
		// contact whose document held them (the database's cascade would not say).
		if _, err = tx.FeedPost.Delete().Where(feedpost.FeedID(old.ID)).Exec(ctx); err == nil {
			err = tx.Feed.DeleteOne(old).Exec(ctx)
		}
	case url != old.URL:
		err = tx.Feed.UpdateOne(old).SetURL(url).SetEtag("").SetLastModified("").SetNextPollAt(now).
			SetFailures(0).SetLastError("").Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("set feed: %w", err)
	}
	return nil
}

// validFeedURL reports whether u is empty or a feed address Rapport polls:
// http or https with a host, at most MaxFeedURL characters.
func validFeedURL(u string) bool {
	if u == "" {
		return true
	}
	if len(u) > MaxFeedURL {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// FeedsForAdmin lists every feed with the poller's state, failing ones first.
func FeedsForAdmin(ctx context.Context, client *ent.Client) ([]*ent.Feed, error) {
	out, err := client.Feed.Query().Order(ent.Desc(feed.FieldFailures), ent.Asc(feed.FieldNextPollAt), ent.Asc(feed.FieldID)).Limit(1000).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return out, nil
}

// setFeeds sets the planned feeds of the batch's channels, after the
// channels are written: each channel is found by its unique platform and
// handle.
func (p *writePlan) setFeeds(ctx context.Context) error {
	for _, r := range p.rel.feeds {
		prof, err := p.tx.SocialProfile.Query().Where(socialprofile.PlatformEQ(socialprofile.Platform(r.platform)),
			socialprofile.Handle(r.handle)).Only(ctx)
		if err != nil {
			return fmt.Errorf("set feed of %s/%s: %w", r.platform, r.handle, err)
		}
		cid := r.p.id
		err = setFeed(ctx, p.tx, feed.SocialProfileID(prof.ID), r.url, func(c *ent.FeedCreate) {
			c.SetSocialProfileID(prof.ID).SetContactID(cid)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
