package crm

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// WithContacts makes w the writer through which Record moves the current
// follower count of contacts' channels (the server's writer, with its list
// cache); without it Record uses a writer of its own on the same database.
func (s *ChannelFigures) WithContacts(w *ContactWriter) *ChannelFigures {
	s.writer = w
	return s
}

// contactChannel is a contact's channel as Record finds it before it
// stores readings: whose it is, its current count and the reading that count
// is from (at): the latest of its history, or for a channel without history
// its last update (the contact writer's rule: the count it had as of then).
type contactChannel struct {
	contactID        int
	platform, handle string
	followers        int64
	at               time.Time
	history          bool
}

// loadContactChannels reads the contacts' channels ids in tx: two statements
// whatever their number.
func loadContactChannels(ctx context.Context, tx *ent.Tx, ids []int) (map[int]*contactChannel, error) {
	out := map[int]*contactChannel{}
	if len(ids) == 0 {
		return out, nil
	}
	chs, err := tx.SocialProfile.Query().Where(socialprofile.IDIn(ids...)).Select(socialprofile.FieldID, socialprofile.FieldContactID,
		socialprofile.FieldPlatform, socialprofile.FieldHandle, socialprofile.FieldFollowers, socialprofile.FieldUpdatedAt).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("record channel figures: channels: %w", err)
	}
	for _, ch := range chs {
		out[ch.ID] = &contactChannel{contactID: ch.ContactID, platform: string(ch.Platform), handle: ch.Handle,
			followers: ch.Followers, at: ch.UpdatedAt}
	}
	// each channel's latest reading (MAX per channel grouped once, on the
	// index social_profile_id, at), as the weekly evaluation finds levels
	latest, err := tx.FollowerSnapshot.Query().Where(followersnapshot.SocialProfileIDIn(ids...), func(q *sql.Selector) {
		l := sql.Select(followersnapshot.FieldSocialProfileID, sql.As(sql.Max(followersnapshot.FieldAt), "m")).
			From(sql.Table(followersnapshot.Table)).Where(sql.InInts(followersnapshot.FieldSocialProfileID, ids...)).
			GroupBy(followersnapshot.FieldSocialProfileID).As("l")
		q.Join(l).OnP(sql.And(sql.ColumnsEQ(q.C(followersnapshot.FieldSocialProfileID), l.C(followersnapshot.FieldSocialProfileID)),
			sql.ColumnsEQ(q.C(followersnapshot.FieldAt), l.C("m"))))
	}).Select(followersnapshot.FieldSocialProfileID, followersnapshot.FieldAt).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("record channel figures: latest readings: %w", err)
	}
	for _, sn := range latest {
		if ch := out[*sn.SocialProfileID]; ch != nil {
			ch.at, ch.history = sn.At, true
		}
	}
	return out, nil
}

// startPoints are the readings a contact's channel without history gets
// before its first figures: its current count as of its last update, as the
// contact writer adds it before a channel's first change. The count then
// always has a dated reading, so backfilled figures stay behind it.
func startPoints(tx *ent.Tx, chans map[int]*contactChannel) []*ent.FollowerSnapshotCreate {
	var out []*ent.FollowerSnapshotCreate
	for _, id := range slices.Sorted(maps.Keys(chans)) {
		if ch := chans[id]; !ch.history && !ch.at.IsZero() {
			out = append(out, tx.FollowerSnapshot.Create().SetSocialProfileID(id).SetFollowers(ch.followers).
				SetAt(ch.at.UTC()).SetSource(followersnapshot.SourceProfile))
		}
	}
	return out
}

// moveContactChannels moves the current follower count of each contact's
// channel whose newest reading in ins is as new as its current one or newer
// (chans, as loaded before the readings were stored), and its engagement
// rate when that reading has engagement (EngagementRate); an older reading
// (a backfill) leaves both alone. A day's reading is at noon (the form,
// the import), so it is newer than a count typed that morning, and the
// count is always the last point of the channel's chart. It writes through
// the one contact writer, set-wise (one Change for the batch), so the
// audit, health, the search change record and the list cache follow; the
// readings are the channels' history already. It returns the contacts
// changed.
func (s *ChannelFigures) moveContactChannels(ctx context.Context, tx *ent.Tx, ins []FigureInput, chans map[int]*contactChannel, msg AuditMsg) (int, error) {
	newest := map[int]FigureInput{}
	for _, in := range ins {
		if cur, ok := newest[in.SocialProfileID]; in.SocialProfileID != 0 && (!ok || !in.At.Before(cur.At)) {
			newest[in.SocialProfileID] = in
		}
	}
	type move struct {
		followers int64
		rate      *float64
	}
	moves := map[int]map[string]move{} // contact → platform/handle → figures
	for id, in := range newest {
		ch, rate := chans[id], EngagementRate(in)
		if ch == nil || (ch.followers == in.Followers && rate == nil) || in.At.Before(ch.at) {
			continue
		}
		if moves[ch.contactID] == nil {
			moves[ch.contactID] = map[string]move{}
		}
		moves[ch.contactID][ch.platform+"/"+ch.handle] = move{in.Followers, rate}
	}
	if len(moves) == 0 {
		return 0, nil
	}
	w := s.writer
	if w == nil {
		w = writerFor(s.client)
	}
	res, err := w.change(ctx, tx, slices.Sorted(maps.Keys(moves)), msg, WriteOptions{FiguresHistory: true}, func(id int, in *ContactInput) bool {
		changed := false
		for i, c := range in.Channels {
			m, ok := moves[id][c.Platform+"/"+c.Handle]
			if !ok {
				continue
			}
			if c.Followers != m.followers {
				in.Channels[i].Followers, changed = m.followers, true
			}
			if newRate(c.EngagementRate, m.rate) != nil {
				in.Channels[i].EngagementRate, changed = m.rate, true
			}
		}
		return changed
	})
	if err != nil {
		return 0, fmt.Errorf("record channel figures: contacts: %w", err)
	}
	n := 0
	for _, r := range res {
		if r.Changed {
			n++
		}
	}
	return n, nil
}

// EngagementRate is a reading's engagement per follower (0.025 for 2.5 %):
// nil without engagement or followers.
func EngagementRate(in FigureInput) *float64 {
	if in.Engagement == nil || in.Followers <= 0 {
		return nil
	}
	r := float64(*in.Engagement) / float64(in.Followers)
	return &r
}

// LoadContactChannel reads channel id of contact contactID with the
// contact's name (Edges.Contact): the figures page of a contact's channel.
// ENotFound when the contact has no such channel.
func LoadContactChannel(ctx context.Context, client *ent.Client, contactID, id int) (*ent.SocialProfile, error) {
	ch, err := client.SocialProfile.Query().Where(socialprofile.ID(id), socialprofile.ContactID(contactID)).
		WithContact(func(q *ent.ContactQuery) { q.Select(contact.FieldFirstName, contact.FieldLastName) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This channel does not exist (any more).")
	}
	if err != nil {
		return nil, fmt.Errorf("load contact channel: %w", err)
	}
	return ch, nil
}
