package db

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
)

// SessionChannel is the PostgreSQL NOTIFY channel that announces revoked
// sessions to the other servers on the database.
const SessionChannel = "rapport_sessions"

// Revoked names sessions whose cached sign-in no longer holds: every session
// of Users, the Sessions by id, or All of them (a listener that lost its
// connection may have missed some).
type Revoked struct {
	Users, Sessions []int
	All             bool
}

// SessionFeed tells the session caches of this process, synchronously after
// the commit of the write, and those of every other server on a PostgreSQL
// database (NOTIFY on SessionChannel, sent in the write's transaction) of
// each write that changes what a signed-in session is: a session ended, or
// its user's name, e-mail, role, status, language or password changed. The
// hook that Open installs calls it for every such write through ent, so that
// no writer can forget it.
type SessionFeed struct {
	mu   sync.Mutex
	subs []func(Revoked)
}

// Subscribe has f told of every revocation, local or announced.
func (f *SessionFeed) Subscribe(fn func(Revoked)) {
	f.mu.Lock()
	f.subs = append(f.subs, fn)
	f.mu.Unlock()
}

func (f *SessionFeed) publish(r Revoked) {
	f.mu.Lock()
	subs := slices.Clone(f.subs)
	f.mu.Unlock()
	for _, fn := range subs {
		fn(r)
	}
}

// WatchSessions has the session caches of this process hear the revocations
// of other servers on the same PostgreSQL database. It returns once it
// listens, and listens until ctx ends; on SQLite (one process) it does nothing.
func (d *DB) WatchSessions(ctx context.Context, log *slog.Logger) error {
	if d.Dialect != dialect.Postgres {
		return nil
	}
	return Listen(ctx, d.url, SessionChannel, log, func(payload string, lost bool) {
		r, ok := parseRevoked(payload)
		if lost || !ok {
			r = Revoked{All: true}
		}
		d.Sessions.publish(r)
	})
}

// principalFields are the user's fields a session's sign-in holds or
// depends on.
var principalFields = []string{user.FieldName, user.FieldEmail, user.FieldRole, user.FieldActive, user.FieldLocale, user.FieldPasswordHash}

// sessionHook revokes the cached sign-ins a write of a user or a session
// changes: after the commit of its transaction (or at once outside one),
// and announced on PostgreSQL by a NOTIFY that is delivered with the commit.
func sessionHook(dia string, feed *SessionFeed) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			r, client, tx, err := revokedBy(ctx, m)
			if err != nil || client == nil {
				if err != nil {
					return nil, fmt.Errorf("sessions: %w", err)
				}
				return next.Mutate(ctx, m)
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if dia == dialect.Postgres {
				if _, err := client.ExecContext(ctx, "SELECT pg_notify($1, $2)", SessionChannel, r.payload()); err != nil {
					return v, fmt.Errorf("announce revoked sessions: %w", err)
				}
			}
			if tx == nil {
				feed.publish(r)
				return v, nil
			}
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
					err := next.Commit(ctx, tx)
					if err == nil {
						feed.publish(r)
					}
					return err
				})
			})
			return v, nil
		})
	}
}

// revokedBy finds the sign-ins m changes; client is nil when it changes none.
func revokedBy(ctx context.Context, m ent.Mutation) (r Revoked, client *ent.Client, tx *ent.Tx, err error) {
	switch m := m.(type) {
	case *ent.UserMutation:
		if m.Op().Is(ent.OpCreate) || !m.Op().Is(ent.OpDelete|ent.OpDeleteOne) &&
			!slices.ContainsFunc(m.Fields(), func(f string) bool { return slices.Contains(principalFields, f) }) {
			return r, nil, nil, nil
		}
		r.Users, err = m.IDs(ctx)
		client, tx = m.Client(), txOf(m.Tx())
	case *ent.SessionMutation:
		_, expires := m.ExpiresAt() // a session made to end sooner
		if m.Op().Is(ent.OpCreate) || !m.Op().Is(ent.OpDelete|ent.OpDeleteOne) && !expires {
			return r, nil, nil, nil
		}
		r.Sessions, err = m.IDs(ctx)
		client, tx = m.Client(), txOf(m.Tx())
	default:
		return r, nil, nil, nil
	}
	if err != nil {
		return r, nil, nil, err
	}
	if len(r.Users)+len(r.Sessions) == 0 {
		return r, nil, nil, nil // nothing matched: no sign-in changes
	}
	if len(r.Users)+len(r.Sessions) > maxNamed {
		r = Revoked{All: true}
	}
	return r, client, tx, nil
}

// maxNamed bounds the ids one NOTIFY names (its payload is at most 8,000
// bytes); past it the notice revokes all cached sign-ins.
const maxNamed = 500

func txOf(tx *ent.Tx, err error) *ent.Tx {
	if err != nil {
		return nil
	}
	return tx
}

// payload is r as the NOTIFY carries it: "*", or "u:1,2" and "s:3,4"
// separated by a space.
func (r Revoked) payload() string {
	if r.All {
		return "*"
	}
	var parts []string
	for _, p := range []struct {
		tag string
		ids []int
	}{{"u:", r.Users}, {"s:", r.Sessions}} {
		if len(p.ids) > 0 {
			s := make([]string, len(p.ids))
			for i, id := range p.ids {
				s[i] = strconv.Itoa(id)
			}
			parts = append(parts, p.tag+strings.Join(s, ","))
		}
	}
	return strings.Join(parts, " ")
}

func parseRevoked(s string) (Revoked, bool) {
	var r Revoked
	if s == "*" {
		return Revoked{All: true}, true
	}
	for part := range strings.FieldsSeq(s) {
		tag, list, ok := strings.Cut(part, ":")
		if !ok {
			return r, false
		}
		for f := range strings.SplitSeq(list, ",") {
			id, err := strconv.Atoi(f)
			if err != nil {
				return r, false
			}
			switch tag {
			case "u":
				r.Users = append(r.Users, id)
			case "s":
				r.Sessions = append(r.Sessions, id)
			default:
				return r, false
			}
		}
	}
	return r, true
}
