package crm

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/feedpost"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/ent/keywordalert"
	"github.com/rapport-crm/rapport/ent/ownedchannel"
	"github.com/rapport-crm/rapport/ent/topic"
)

// Bounds of the weekly evaluation.
const (
	DefaultFigureWeeks = 12
	MaxFigureWeeks     = 104
)

// FigureScope is whose figures a chart and the weekly table sum: one owned
// channel (ChannelID), one contact's channel (ProfileID), or the owned
// channels of a region and a topic (by name; empty matches any).
type FigureScope struct {
	ChannelID, ProfileID int
	Region, Topic        string
}

// FigureWeek is one week (Monday 00:00 UTC on) of the weekly evaluation.
// Followers is the sum over the scope's channels of each one's last reading
// before the week's end (HasFollowers: some channel had one); Gained the
// change over the week (a channel's first reading in the week counts from
// itself). Engagement and impressions sum the readings of the week. Posts
// are the feed's posts published that week, or for a channel without a
// feed the posts its readings of the week give. Mentions are the keyword
// alerts whose post was published that week (the brand's mentions in the
// contacts' feeds, all channels).
type FigureWeek struct {
	Start                   time.Time
	Posts, Mentions         int
	Followers, Gained       int64
	Engagement, Impressions int64
	HasFollowers            bool
}

// FigureReport is the weekly evaluation of a scope, oldest week first.
type FigureReport struct {
	Scope    FigureScope
	Channels int // owned channels in the scope (a contact's channel: 1)
	Weeks    []FigureWeek
}

// WeekStart is the Monday 00:00 UTC of t's week.
func WeekStart(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// Weekly evaluates the scope's last weeks weeks, the current week last.
func (s *ChannelFigures) Weekly(ctx context.Context, scope FigureScope, weeks int) (*FigureReport, error) {
	if weeks <= 0 {
		weeks = DefaultFigureWeeks
	}
	weeks = min(weeks, MaxFigureWeeks)
	first := WeekStart(s.now()).AddDate(0, 0, -7*(weeks-1))
	end := first.AddDate(0, 0, 7*weeks)
	rep := &FigureReport{Scope: scope, Weeks: make([]FigureWeek, weeks)}
	for i := range rep.Weeks {
		rep.Weeks[i].Start = first.AddDate(0, 0, 7*i)
	}
	week := func(t time.Time) int {
		if t.Before(first) || !t.Before(end) {
			return -1
		}
		return int(t.Sub(first) / (7 * 24 * time.Hour))
	}
	ids, side := []int{scope.ProfileID}, profileSide
	if scope.ProfileID == 0 {
		var err error
		if ids, err = s.scopeIDs(ctx, scope); err != nil {
			return nil, err
		}
		side = ownedSide
	}
	rep.Channels = len(ids)
	if err := s.weekFigures(ctx, rep, side, ids, end, week); err != nil {
		return nil, err
	}
	alerts, err := s.client.KeywordAlert.Query().Where(keywordalert.HasPostWith(feedpost.PublishedAtGTE(first), feedpost.PublishedAtLT(end))).
		QueryPost().Select(feedpost.FieldPublishedAt).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly figures: mentions: %w", err)
	}
	for _, p := range alerts {
		if w := week(p.PublishedAt); w >= 0 {
			rep.Weeks[w].Mentions++
		}
	}
	return rep, nil
}

// scopeIDs are the owned channels of scope.
func (s *ChannelFigures) scopeIDs(ctx context.Context, scope FigureScope) ([]int, error) {
	q := s.client.OwnedChannel.Query()
	if scope.ChannelID != 0 {
		q.Where(ownedchannel.ID(scope.ChannelID))
	}
	if scope.Region != "" {
		q.Where(ownedchannel.Region(scope.Region))
	}
	if scope.Topic != "" {
		q.Where(ownedchannel.HasTopicWith(topic.Name(scope.Topic)))
	}
	ids, err := q.IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("weekly figures: channels: %w", err)
	}
	return ids, nil
}

// weekFigures fills followers, engagement, impressions and posts.
func (s *ChannelFigures) weekFigures(ctx context.Context, rep *FigureReport, side figureSide, ids []int, end time.Time, week func(time.Time) int) error {
	if len(ids) == 0 {
		return nil
	}
	first := rep.Weeks[0].Start
	fields := []string{side.column, followersnapshot.FieldFollowers, followersnapshot.FieldEngagement,
		followersnapshot.FieldImpressions, followersnapshot.FieldPosts, followersnapshot.FieldAt}
	// The level each channel starts from: its last reading before the first
	// week (MAX per channel grouped once, on the index of its channel and at).
	levels, err := s.client.FollowerSnapshot.Query().Where(side.snapsIn(ids), followersnapshot.AtLT(first),
		func(q *sql.Selector) {
			l := sql.Select(side.column, sql.As(sql.Max(followersnapshot.FieldAt), "m")).
				From(sql.Table(followersnapshot.Table)).
				Where(sql.And(sql.InInts(side.column, ids...), sql.LT(followersnapshot.FieldAt, first))).
				GroupBy(side.column).As("l")
			q.Join(l).OnP(sql.And(sql.ColumnsEQ(q.C(side.column), l.C(side.column)),
				sql.ColumnsEQ(q.C(followersnapshot.FieldAt), l.C("m"))))
		}).Select(fields...).All(ctx)
	if err != nil {
		return fmt.Errorf("weekly figures: levels: %w", err)
	}
	snaps, err := s.client.FollowerSnapshot.Query().Where(side.snapsIn(ids), followersnapshot.AtGTE(first), followersnapshot.AtLT(end)).
		Order(ent.Asc(followersnapshot.FieldAt), ent.Asc(followersnapshot.FieldID)).Select(fields...).All(ctx)
	if err != nil {
		return fmt.Errorf("weekly figures: %w", err)
	}
	fed, err := s.client.Feed.Query().Where(side.feedsIn(ids)).Select(side.column).All(ctx)
	if err != nil {
		return fmt.Errorf("weekly figures: feeds: %w", err)
	}
	hasFeed := map[int]bool{}
	for _, f := range fed {
		hasFeed[side.feedChannel(f)] = true
	}
	last := map[int]int64{} // each channel's latest reading so far
	for _, l := range levels {
		last[side.snapChannel(l)] = l.Followers
	}
	for i, j := range rep.Weeks {
		wEnd := j.Start.AddDate(0, 0, 7)
		start := map[int]int64{}
		for k, v := range last {
			start[k] = v
		}
		for len(snaps) > 0 && snaps[0].At.Before(wEnd) {
			sn := snaps[0]
			snaps = snaps[1:]
			ch := side.snapChannel(sn)
			if _, ok := start[ch]; !ok {
				start[ch] = sn.Followers // first reading: counts from itself
			}
			last[ch] = sn.Followers
			w := &rep.Weeks[i]
			if sn.Engagement != nil {
				w.Engagement += *sn.Engagement
			}
			if sn.Impressions != nil {
				w.Impressions += *sn.Impressions
			}
			if sn.Posts != nil && !hasFeed[ch] {
				w.Posts += *sn.Posts
			}
		}
		for ch, v := range last {
			rep.Weeks[i].Followers += v
			rep.Weeks[i].Gained += v - start[ch]
			rep.Weeks[i].HasFollowers = true
		}
	}
	posts, err := s.client.FeedPost.Query().Where(side.posts(ids), feedpost.PublishedAtGTE(first), feedpost.PublishedAtLT(end)).
		Select(feedpost.FieldPublishedAt).All(ctx)
	if err != nil {
		return fmt.Errorf("weekly figures: posts: %w", err)
	}
	for _, p := range posts {
		if w := week(p.PublishedAt); w >= 0 {
			rep.Weeks[w].Posts++
		}
	}
	return nil
}
