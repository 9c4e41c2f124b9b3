package crm

import (
	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/feedpost"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// figureSide is which channels a weekly evaluation sums: owned channels or
// a contact's channel. It names their column in the readings and feeds and
// selects their feeds' posts.
type figureSide struct {
	column string // follower_snapshots' and feeds' channel column
	posts  func(ids []int) predicate.FeedPost
}

var (
	ownedSide = figureSide{column: followersnapshot.FieldOwnedChannelID,
		posts: func(ids []int) predicate.FeedPost { return feedpost.OwnedChannelIDIn(ids...) }}
	profileSide = figureSide{column: followersnapshot.FieldSocialProfileID,
		posts: func(ids []int) predicate.FeedPost { return feedpost.HasFeedWith(feed.SocialProfileIDIn(ids...)) }}
)

func (f figureSide) snapsIn(ids []int) predicate.FollowerSnapshot {
	return predicate.FollowerSnapshot(sql.FieldIn(f.column, ids...))
}

func (f figureSide) feedsIn(ids []int) predicate.Feed {
	return predicate.Feed(sql.FieldIn(f.column, ids...))
}

// snapChannel and feedChannel are the channel of a reading and of a feed.
func (f figureSide) snapChannel(s *ent.FollowerSnapshot) int {
	if f.column == followersnapshot.FieldSocialProfileID {
		return *s.SocialProfileID
	}
	return *s.OwnedChannelID
}

func (f figureSide) feedChannel(x *ent.Feed) int {
	if f.column == followersnapshot.FieldSocialProfileID {
		return *x.SocialProfileID
	}
	return *x.OwnedChannelID
}
