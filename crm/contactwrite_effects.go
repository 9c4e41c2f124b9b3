package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// updateFollowers stores the new follower counts (and engagement rates) of
// kept channels and adds a point to each moved count's history; a channel
// without history also gets the count it had before, as of its last update,
// so its chart has a line from the start. A channel whose count did not
// change gets no point; a count from channel figures
// (WriteOptions.FiguresHistory) gets none either.
func (p *writePlan) updateFollowers(ctx context.Context) error {
	fs := p.rel.followers
	if len(fs) == 0 {
		return nil
	}
	ids := make([]int, len(fs))
	for i, f := range fs {
		ids[i] = f.id
	}
	since := map[int]time.Time{} // read before the updates move updated_at
	if !p.opt.FiguresHistory {
		fresh, err := p.tx.SocialProfile.Query().Where(socialprofile.IDIn(ids...), socialprofile.Not(socialprofile.HasHistory())).
			Select(socialprofile.FieldID, socialprofile.FieldUpdatedAt).All(ctx)
		if err != nil {
			return fmt.Errorf("follower history: %w", err)
		}
		for _, ch := range fresh {
			since[ch.ID] = ch.UpdatedAt
		}
	}
	for _, f := range fs {
		u := p.tx.SocialProfile.Update().Where(socialprofile.ID(f.id)).SetFollowers(f.to)
		if f.rate != nil {
			u.SetEngagementRate(*f.rate)
		}
		if err := u.Exec(ctx); err != nil {
			return fmt.Errorf("update channel: %w", err)
		}
	}
	if p.opt.FiguresHistory { // the readings are the history already
		return nil
	}
	var snaps []*ent.FollowerSnapshotCreate
	for _, f := range fs {
		if f.from == f.to {
			continue // only the rate moved
		}
		if at, ok := since[f.id]; ok && !at.IsZero() {
			snaps = append(snaps, p.tx.FollowerSnapshot.Create().SetSocialProfileID(f.id).SetFollowers(f.from).SetAt(at.UTC()))
		}
		snaps = append(snaps, p.tx.FollowerSnapshot.Create().SetSocialProfileID(f.id).SetFollowers(f.to).SetAt(p.now))
	}
	for chunk := range slices.Chunk(snaps, bulkChunk) {
		if err := p.tx.FollowerSnapshot.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("follower history: %w", err)
		}
	}
	return nil
}

// checkHandles returns a field error for each new channel that another
// contact already has: the unique index would refuse it anyway, but this
// says who has it. One look-up for the batch.
func (p *writePlan) checkHandles(ctx context.Context) error {
	if len(p.rel.channels) == 0 {
		return nil
	}
	taken, err := p.tx.SocialProfile.Query().Where(func(s *sql.Selector) {
		var ors []*sql.Predicate
		for _, c := range p.rel.channels {
			ors = append(ors, sql.And(sql.EQ(s.C(socialprofile.FieldPlatform), c.platform), sql.EQ(s.C(socialprofile.FieldHandle), c.handle)))
		}
		s.Where(sql.Or(ors...))
	}).Select(socialprofile.FieldPlatform, socialprofile.FieldHandle, socialprofile.FieldContactID).All(ctx)
	if err != nil {
		return fmt.Errorf("check channels: %w", err)
	}
	if len(taken) == 0 {
		return nil
	}
	var owners []int
	for _, t := range taken {
		owners = append(owners, t.ContactID)
	}
	cs, err := p.tx.Contact.Query().Where(contact.IDIn(owners...)).Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return fmt.Errorf("check channels: %w", err)
	}
	names := map[int]string{}
	for _, c := range cs {
		names[c.ID] = DisplayName(c.FirstName, c.LastName)
	}
	fe := FieldErrors{}
	for _, t := range taken {
		for _, r := range p.rel.channels {
			if r.platform != string(t.Platform) || r.handle != t.Handle {
				continue
			}
			for i, c := range r.p.x.In.Channels {
				if c.Platform == r.platform && c.Handle == r.handle {
					fe.Add(fmt.Sprintf("channels.%d", i), fmt.Sprintf("%s on %s belongs to %s already.", t.Handle, t.Platform, names[t.ContactID]))
				}
			}
		}
	}
	return fe.Err()
}

// auditBulk writes evs, attributed to the actor of ctx, with one INSERT per
// 1,000 events (on PostgreSQL one, with array parameters); inside a
// compound write (foldAudit) it hands them to the compound's fold.
func (w *ContactWriter) auditBulk(ctx context.Context, tx *ent.Tx, now time.Time, evs []Event) error {
	if f := foldFrom(ctx); f != nil {
		f.evs = append(f.evs, evs...)
		return nil
	}
	return auditEvents(ctx, tx, w.dialect, now, evs)
}

// auditEvents writes evs in tx, attributed to the actor of ctx, with one
// INSERT per 1,000 events (on PostgreSQL one, with array parameters): the
// audit of any set-wise write.
func auditEvents(ctx context.Context, tx *ent.Tx, dia string, now time.Time, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	a := ActorFrom(ctx)
	if dia == dialect.Postgres {
		return auditBulkPG(ctx, tx, a, now, evs)
	}
	for chunk := range slices.Chunk(evs, bulkChunk) {
		bulk := make([]*ent.AuditEventCreate, len(chunk))
		for i, ev := range chunk {
			c := tx.AuditEvent.Create().SetAt(now).SetAction(ev.Action).SetEntity(ev.Entity).SetEntityID(ev.EntityID).
				SetSummary(Truncate(auditEnglish(ev.Msg), 300)).SetRequestID(a.RequestID).SetIP(a.IP)
			if ev.Msg.id != "" {
				c.SetMessage(ev.Msg.id).SetMessageArgs(ev.Msg.args)
			}
			if a.UserID != 0 {
				c.SetActorID(a.UserID).SetActorName(a.Name)
			}
			if len(ev.Changes) > 0 {
				c.SetChanges(ev.Changes)
			}
			bulk[i] = c
		}
		if err := tx.AuditEvent.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("audit contacts: %w", err)
		}
	}
	return nil
}

func auditBulkPG(ctx context.Context, tx *ent.Tx, a Actor, now time.Time, evs []Event) error {
	var actor any // NULL for the system
	name := ""
	if a.UserID != 0 {
		actor, name = a.UserID, a.Name
	}
	for _, v := range []struct {
		f func(string) error
		s string
	}{{auditevent.ActorNameValidator, name}, {auditevent.RequestIDValidator, a.RequestID}, {auditevent.IPValidator, a.IP}} {
		if err := v.f(v.s); err != nil {
			return fmt.Errorf("audit contacts: %w", err)
		}
	}
	n := len(evs)
	ids, action, entity, sums, changes := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	msgs, margs := make([]string, n), make([]string, n)
	var buf []byte
	sum := map[string]string{} // an import's events share a few messages: each rendered once
	var prev AuditMsg          // and a bulk change's, one after the other: compared, not rendered
	var prevArgs, prevSum string
	for i, ev := range evs {
		ids[i], action[i], entity[i], msgs[i] = int64(ev.EntityID), ev.Action, ev.Entity, ev.Msg.id
		if ev.Msg.id != "" {
			if !ev.Msg.same(prev) {
				buf = appendArgsJSON(buf[:0], ev.Msg.args)
				prevArgs = string(buf)
				s, ok := sum[prevArgs+ev.Msg.id]
				if !ok {
					s = Truncate(auditEnglish(ev.Msg), 300)
					sum[prevArgs+ev.Msg.id] = s
				}
				prev, prevSum = ev.Msg, s
			}
			margs[i], sums[i] = prevArgs, prevSum
		}
		if len(ev.Changes) > 0 {
			var err error
			if buf, err = appendChangesJSON(buf[:0], ev.Changes); err != nil {
				return fmt.Errorf("audit contacts: %w", err)
			}
			changes[i] = string(buf)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (at, actor_id, actor_name, action, entity, entity_id, summary, changes, request_id, ip, message, message_args)
		SELECT $1, $2, $3, u.action, u.entity, u.id, u.summary, NULLIF(u.changes, '')::jsonb, $4, $5, u.message, NULLIF(u.args, '')::jsonb
		FROM unnest($6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[]) AS u(id, action, entity, summary, changes, message, args)`,
		now, actor, name, a.RequestID, a.IP, pq.Array(ids), pq.Array(action), pq.Array(entity), pq.Array(sums), pq.Array(changes),
		pq.Array(msgs), pq.Array(margs))
	if err != nil {
		return fmt.Errorf("audit contacts: %w", err)
	}
	return nil
}
