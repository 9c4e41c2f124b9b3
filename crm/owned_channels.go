package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/ownedchannel"
	"github.com/rapport-crm/rapport/ent/schema"
)

// OwnedChannelInput is what the owned-channel form sends. Zero ids mean none.
type OwnedChannelInput struct {
	BrandID, TopicID, OwnerID      int
	Platform, Handle, URL, Region  string
	Language, Purpose, Goals, Feed string
}

// OwnedChannels keeps the brand's and clients' own accounts.
type OwnedChannels struct {
	client *ent.Client
}

// NewOwnedChannels returns the owned-channel operations.
func NewOwnedChannels(client *ent.Client) *OwnedChannels { return &OwnedChannels{client: client} }

// validate trims and checks the input, canonicalises the region through the
// place table (the relationship matrix's axis) and normalises the handle.
func (s *OwnedChannels) validate(ctx context.Context, in *OwnedChannelInput) error {
	errs := map[string]string{}
	in.Platform, in.Region, in.Language = strings.TrimSpace(in.Platform), strings.TrimSpace(in.Region), strings.TrimSpace(in.Language)
	in.URL, in.Goals, in.Feed = strings.TrimSpace(in.URL), strings.TrimSpace(in.Goals), strings.TrimSpace(in.Feed)
	if !slices.Contains(schema.Platforms, in.Platform) {
		errs["platform"] = "Choose a platform."
	}
	if in.Handle = NormalizeHandle(in.Platform, in.Handle); in.Handle == "" {
		errs["handle"] = "Enter the account's handle or address."
	}
	if in.Purpose == "" {
		in.Purpose = "news"
	}
	if !slices.Contains(schema.ChannelPurposes, in.Purpose) {
		errs["purpose"] = "Choose a purpose."
	}
	if in.Language == "" {
		in.Language = "de"
	}
	for k, n := range map[string]int{"handle": 200, "url": 500, "region": 100, "language": 10, "goals": 2000, "feed": 2000} {
		if v := map[string]string{"handle": in.Handle, "url": in.URL, "region": in.Region, "language": in.Language, "goals": in.Goals, "feed": in.Feed}[k]; len(v) > n {
			errs[k] = fmt.Sprintf("At most %d characters.", n)
		}
	}
	if in.Feed != "" {
		if _, err := NormalizeURL(in.Feed); err != nil {
			errs["feed"] = "Enter the feed's web address (https://…)."
		}
	}
	if len(errs) > 0 {
		return &Error{Code: EInvalid, Message: "Please correct the marked fields.", Fields: errs}
	}
	custom, err := CustomPlaces(ctx, s.client)
	if err != nil {
		return err
	}
	_, in.Region = NewPlaceTable(custom).Canonical("", in.Region)
	return nil
}

// Save creates (id 0) or updates an owned channel and its feed; an account
// already recorded is a field error.
func (s *OwnedChannels) Save(ctx context.Context, id int, in OwnedChannelInput) (*ent.OwnedChannel, error) {
	if err := s.validate(ctx, &in); err != nil {
		return nil, err
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("save owned channel: %w", err)
	}
	defer tx.Rollback()
	var ch *ent.OwnedChannel
	if id == 0 {
		ch, err = tx.OwnedChannel.Create().SetPlatform(ownedchannel.Platform(in.Platform)).SetHandle(in.Handle).SetURL(in.URL).
			SetRegion(in.Region).SetLanguage(in.Language).SetPurpose(ownedchannel.Purpose(in.Purpose)).SetGoals(in.Goals).
			SetNillableBrandID(nonZero(in.BrandID)).SetNillableTopicID(nonZero(in.TopicID)).SetNillableOwnerID(nonZero(in.OwnerID)).Save(ctx)
	} else {
		u := tx.OwnedChannel.UpdateOneID(id).SetPlatform(ownedchannel.Platform(in.Platform)).SetHandle(in.Handle).SetURL(in.URL).
			SetRegion(in.Region).SetLanguage(in.Language).SetPurpose(ownedchannel.Purpose(in.Purpose)).SetGoals(in.Goals).
			ClearBrandID().ClearTopicID().ClearOwnerID().
			SetNillableBrandID(nonZero(in.BrandID)).SetNillableTopicID(nonZero(in.TopicID)).SetNillableOwnerID(nonZero(in.OwnerID))
		ch, err = u.Save(ctx)
	}
	switch {
	case ent.IsConstraintError(err):
		return nil, &Error{Code: EInvalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{"handle": "This account is already recorded."}}
	case err != nil:
		return nil, fmt.Errorf("save owned channel: %w", err)
	}
	if err := setFeed(ctx, tx, feed.OwnedChannelID(ch.ID), in.Feed, func(c *ent.FeedCreate) { c.SetOwnedChannelID(ch.ID) }); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("save owned channel: %w", err)
	}
	return ch, nil
}

// Delete removes an owned channel with its feed and posts.
func (s *OwnedChannels) Delete(ctx context.Context, id int) error {
	if err := s.client.OwnedChannel.DeleteOneID(id).Exec(ctx); err != nil {
		return fmt.Errorf("delete owned channel %d: %w", id, err)
	}
	return nil
}

// Get returns an owned channel with its client, topic, owner and feed.
func (s *OwnedChannels) Get(ctx context.Context, id int) (*ent.OwnedChannel, *ent.Feed, error) {
	ch, err := s.client.OwnedChannel.Query().Where(ownedchannel.ID(id)).WithBrand().WithTopic().WithOwner().Only(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("owned channel %d: %w", id, err)
	}
	f, err := s.client.Feed.Query().Where(feed.OwnedChannelID(id)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, nil, fmt.Errorf("owned channel %d: feed: %w", id, err)
	}
	return ch, f, nil
}

// List returns the owned channels of a client (0: all), by region, topic and platform.
func (s *OwnedChannels) List(ctx context.Context, brandID int) ([]*ent.OwnedChannel, error) {
	q := s.client.OwnedChannel.Query().WithBrand().WithTopic().WithOwner()
	if brandID > 0 {
		q = q.Where(ownedchannel.BrandID(brandID))
	}
	out, err := q.Order(ent.Asc(ownedchannel.FieldRegion), ent.Asc(ownedchannel.FieldPlatform), ent.Asc(ownedchannel.FieldHandle)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list owned channels: %w", err)
	}
	return out, nil
}

func nonZero(id int) *int {
	if id == 0 {
		return nil
	}
	return &id
}
