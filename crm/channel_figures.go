package crm

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/ent/ownedchannel"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// EntityChannelFigures is the audit entity of recorded channel figures.
const EntityChannelFigures = "channel_figures"

// MaxFigure bounds a figure (followers, engagement, impressions): larger is
// a typo or a misread column, not an account.
const MaxFigure = 10_000_000_000

// FigureInput is one reading of a channel's figures: the follower count at
// a time and, where the source gives them, the engagement (likes, comments,
// shares), impressions and posts of the period it covers. The channel is an
// owned channel or a contact's social channel: exactly one id is set.
type FigureInput struct {
	OwnedChannelID, SocialProfileID int
	At                              time.Time
	Followers                       int64
	Engagement, Impressions         *int64
	Posts                           *int
	Source                          string // "manual" or "import"
}

// Check returns the input's problems as field errors (the form's and the
// import's rows' words); nil when it can be recorded. A reading after now
// is refused: figures are measured, not planned.
func (in *FigureInput) Check(now time.Time) FieldErrors {
	fe := FieldErrors{}
	if (in.OwnedChannelID == 0) == (in.SocialProfileID == 0) {
		fe.Add("channel", "Choose one channel.")
	}
	switch {
	case in.At.IsZero():
		fe.Add("at", "Enter the date of the figures.")
	case in.At.After(now.Add(24 * time.Hour)):
		fe.Add("at", "The date is in the future.")
	}
	if in.Followers < 0 || in.Followers > MaxFigure {
		fe.Add("followers", "Followers are a number, 0 or more.")
	}
	for k, v := range map[string]*int64{"engagement": in.Engagement, "impressions": in.Impressions} {
		if v != nil && (*v < 0 || *v > MaxFigure) {
			fe.Add(k, "A number, 0 or more.")
		}
	}
	if in.Posts != nil && (*in.Posts < 0 || *in.Posts > 1_000_000) {
		fe.Add("posts", "A number, 0 or more.")
	}
	return fe
}

// ChannelFigures records and reads the figures of channels over time.
type ChannelFigures struct {
	client *ent.Client
	now    func() time.Time
	writer *ContactWriter // moves contacts' channels (WithContacts); nil: writerFor
}

// NewChannelFigures returns the figures' service; now is the clock (nil: time.Now).
func NewChannelFigures(client *ent.Client, now func() time.Time) *ChannelFigures {
	if now == nil {
		now = time.Now
	}
	return &ChannelFigures{client: client, now: now}
}

// Record writes readings in one transaction with one audit event: the one
// write path of the figures form and the figures import. msg names the
// source for the audit log (the file, or the channel). A contact's channel
// whose newest reading is as new as its current count's or newer gets that
// count, through the contact writer (moveContactChannels).
func (s *ChannelFigures) Record(ctx context.Context, ins []FigureInput, msg AuditMsg) (int, error) {
	now := s.now()
	for i := range ins {
		if ins[i].Source == "" {
			ins[i].Source = "manual"
		}
		if err := ins[i].Check(now).Err(); err != nil {
			return 0, err
		}
	}
	if len(ins) == 0 {
		return 0, nil
	}
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		var pids []int
		for _, in := range ins {
			if in.SocialProfileID != 0 {
				pids = append(pids, in.SocialProfileID)
			}
		}
		chans, err := loadContactChannels(ctx, tx, pids)
		if err != nil {
			return err
		}
		bulk := startPoints(tx, chans)
		owned, profiles := map[int]bool{}, map[int]bool{}
		for _, in := range ins {
			c := tx.FollowerSnapshot.Create().SetFollowers(in.Followers).SetAt(in.At.UTC()).
				SetSource(followersnapshot.Source(in.Source)).SetNillableEngagement(in.Engagement).
				SetNillableImpressions(in.Impressions).SetNillablePosts(in.Posts)
			if in.OwnedChannelID != 0 {
				c.SetOwnedChannelID(in.OwnedChannelID)
				owned[in.OwnedChannelID] = true
			} else {
				c.SetSocialProfileID(in.SocialProfileID)
				profiles[in.SocialProfileID] = true
			}
			bulk = append(bulk, c)
		}
		for chunk := range chunks(bulk, 500) {
			if err := tx.FollowerSnapshot.CreateBulk(chunk...).Exec(ctx); err != nil {
				if ent.IsConstraintError(err) {
					return Errorf(ENotFound, "This channel does not exist (any more).")
				}
				return fmt.Errorf("record channel figures: %w", err)
			}
		}
		if err := audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityChannelFigures, EntityID: firstKey(owned, profiles),
			Msg: msg, Changes: created(map[string]any{"rows": len(ins),
				"owned_channels": len(owned), "channels": len(profiles)})}); err != nil {
			return err
		}
		_, err = s.moveContactChannels(ctx, tx, ins, chans, msg)
		return err
	})
	if err != nil {
		return 0, err
	}
	return len(ins), nil
}

// firstKey is the lowest key of the first non-empty map: the record an
// event about several channels is filed under, the same on every run.
func firstKey(ms ...map[int]bool) int {
	for _, m := range ms {
		if len(m) > 0 {
			return slices.Min(slices.Collect(maps.Keys(m)))
		}
	}
	return 0
}

func chunks[T any](s []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}

// ChannelKey names a channel: its platform ("" when the file gives none)
// and normalised handle.
type ChannelKey struct{ Platform, Handle string }

// FigureChannel is a channel a figures file names, as found: an owned
// channel (Owned) or a contact's channel. Several is set when the handle
// alone names more than one channel.
type FigureChannel struct {
	ID       int
	Owned    bool
	Label    string // platform and handle
	Several  bool
	NotFound bool
}

// FindChannels looks up the channels keys name, owned channels first: by
// platform and handle, or by the handle alone when the key has no platform.
func (s *ChannelFigures) FindChannels(ctx context.Context, keys []ChannelKey) (map[ChannelKey]FigureChannel, error) {
	out := map[ChannelKey]FigureChannel{}
	for _, k := range keys {
		if _, done := out[k]; done || k.Handle == "" {
			continue
		}
		oq := s.client.OwnedChannel.Query().Where(ownedchannel.Handle(k.Handle))
		pq := s.client.SocialProfile.Query().Where(socialprofile.Handle(k.Handle))
		if k.Platform != "" {
			oq.Where(ownedchannel.PlatformEQ(ownedchannel.Platform(k.Platform)))
			pq.Where(socialprofile.PlatformEQ(socialprofile.Platform(k.Platform)))
		}
		os, err := oq.Limit(2).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find channels: %w", err)
		}
		ps, err := pq.Limit(2).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("find channels: %w", err)
		}
		switch {
		case len(os) == 1:
			out[k] = FigureChannel{ID: os[0].ID, Owned: true, Label: string(os[0].Platform) + " " + os[0].Handle}
		case len(os) > 1 || len(ps) > 1:
			out[k] = FigureChannel{Several: true}
		case len(ps) == 1:
			out[k] = FigureChannel{ID: ps[0].ID, Label: string(ps[0].Platform) + " " + ps[0].Handle}
		default:
			out[k] = FigureChannel{NotFound: true}
		}
	}
	return out, nil
}
