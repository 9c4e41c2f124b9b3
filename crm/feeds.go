package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/predicate"
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
		err = tx.Feed.DeleteOne(old).Exec(ctx)
	case url != old.URL:
		err = tx.Feed.UpdateOne(old).SetURL(url).SetEtag("").SetLastModified("").SetNextPollAt(now).
			SetFailures(0).SetLastError("").Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("set feed: %w", err)
	}
	return nil
}

// SetChannelFeed gives a contact's social channel the feed at url (empty:
// none); its posts belong to the contact.
func SetChannelFeed(ctx context.Context, client *ent.Client, profileID int, url string) error {
	if url != "" {
		if _, err := NormalizeURL(url); err != nil || len(url) > 2000 {
			return &Error{Code: EInvalid, Message: "Please correct the marked fields.",
				Fields: map[string]string{"feed": "Enter the feed's web address (https://…)."}}
		}
	}
	p, err := client.SocialProfile.Get(ctx, profileID)
	if err != nil {
		return fmt.Errorf("set channel feed: %w", err)
	}
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		return setFeed(ctx, tx, feed.SocialProfileID(profileID), url, func(c *ent.FeedCreate) {
			c.SetSocialProfileID(profileID).SetContactID(p.ContactID)
		})
	})
}

// FeedsForAdmin lists every feed with the poller's state, failing ones first.
func FeedsForAdmin(ctx context.Context, client *ent.Client) ([]*ent.Feed, error) {
	out, err := client.Feed.Query().Order(ent.Desc(feed.FieldFailures), ent.Asc(feed.FieldNextPollAt), ent.Asc(feed.FieldID)).Limit(1000).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return out, nil
}
