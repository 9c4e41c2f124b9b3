package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/notification"
	"github.com/rapport-crm/rapport/ent/notificationposition"
	"github.com/rapport-crm/rapport/ent/user"
)

// gapHold is how long a hole in the audit ids may be a transaction still committing.
const gapHold = 5 * time.Second

var errRaced = errors.New("notification position moved by another server")

// Dispatch reads the audit events after the stored position, makes the
// notifications they call for and moves the position, in one transaction.
// The position moves with compare-and-set and each notification's key is
// unique, so two servers never make one twice. It returns how many it made.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	if err := s.loadKey(ctx); err != nil {
		return 0, err
	}
	made := 0
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		row, err := position(ctx, tx)
		if err != nil {
			return err
		}
		evs, err := tx.AuditEvent.Query().Where(auditevent.IDGT(row.Position)).Order(auditevent.ByID()).Limit(500).All(ctx)
		if err != nil || len(evs) == 0 {
			return err
		}
		now := s.opt.Now().UTC()
		m := &maker{s: s, tx: tx, now: now, users: map[int]*ent.User{}}
		next := row.Position
		for _, ev := range evs {
			if ev.ID != next+1 && now.Sub(ev.At) < gapHold {
				break
			}
			next = ev.ID
			if err := m.event(ctx, ev); err != nil {
				return fmt.Errorf("notifications of audit event %d: %w", ev.ID, err)
			}
		}
		if next == row.Position {
			return nil
		}
		if err := m.save(ctx); err != nil {
			return err
		}
		moved, err := tx.NotificationPosition.Update().Where(notificationposition.ID(row.ID),
			notificationposition.Position(row.Position)).SetPosition(next).Save(ctx)
		if err != nil {
			return err
		}
		if moved != 1 {
			return errRaced
		}
		made = len(m.creates)
		return nil
	})
	if errors.Is(err, errRaced) {
		return 0, nil // another server moved it: its notifications stand
	}
	return made, err
}

// position reads the notifier's one row, making it at first use from the
// newest event (a new installation does not mail its history) with the
// fixed id 1, so two servers starting at once make one row, not one each.
func position(ctx context.Context, tx *ent.Tx) (*ent.NotificationPosition, error) {
	p, err := tx.NotificationPosition.Query().Order(notificationposition.ByID()).First(ctx)
	if err == nil || !ent.IsNotFound(err) {
		return p, err
	}
	last, err := tx.AuditEvent.Query().Aggregate(ent.Max(auditevent.FieldID)).Int(ctx)
	if err != nil {
		last = 0 // no events yet: Max of nothing
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s, %s, %s) VALUES (1, %d, '') ON CONFLICT DO NOTHING",
		notificationposition.Table, notificationposition.FieldID, notificationposition.FieldPosition,
		notificationposition.FieldDigestDay, last)); err != nil {
		return nil, fmt.Errorf("notification position: %w", err)
	}
	return tx.NotificationPosition.Query().Order(notificationposition.ByID()).First(ctx)
}

// maker collects the notifications of one transaction.
type maker struct {
	s       *Service
	tx      *ent.Tx
	now     time.Time
	users   map[int]*ent.User
	creates []*ent.NotificationCreate
}

// user reads a user once per round; nil when gone.
func (m *maker) user(ctx context.Context, id int) (*ent.User, error) {
	if u, ok := m.users[id]; ok {
		return u, nil
	}
	u, err := m.tx.User.Get(ctx, id)
	if ent.IsNotFound(err) {
		err = nil
	}
	m.users[id] = u
	return u, err
}

// add makes the notification of kind for u unless u turned the kind off.
func (m *maker) add(ctx context.Context, u *ent.User, kind, key string, t text) error {
	if u == nil || !wants(u, kind) {
		return nil
	}
	unsub, err := m.s.unsubscribeURL(ctx, u.ID, kind)
	if err != nil {
		return err
	}
	body := t.Body + "\n\n-- \n" + t.l.T("You receive this mail because of your notification settings in Rapport.") + "\n" +
		t.l.T("Stop these mails:") + " " + unsub + "\n" + t.l.T("All settings:") + " " + m.s.link(pathAccount) + "\n"
	m.creates = append(m.creates, m.tx.Notification.Create().SetUserID(u.ID).SetKind(notification.Kind(kind)).SetKey(key).
		SetTo(u.Email).SetSubject(truncate(t.Subject, 300)).SetBody(body).SetNextAttemptAt(m.now).SetCreatedAt(m.now))
	return nil
}

// save writes the collected notifications; a key made already is skipped.
func (m *maker) save(ctx context.Context) error {
	for chunk := range chunks(m.creates, 200) {
		if err := m.tx.Notification.CreateBulk(chunk...).OnConflict(sql.ConflictColumns(notification.FieldKey)).
			DoNothing().Exec(ctx); err != nil {
			return fmt.Errorf("make notifications: %w", err)
		}
	}
	return nil
}

func chunks[T any](xs []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(xs) > 0 {
			k := min(n, len(xs))
			if !yield(xs[:k]) {
				return
			}
			xs = xs[k:]
		}
	}
}

// event makes the notifications of one audit event.
func (m *maker) event(ctx context.Context, ev *ent.AuditEvent) error {
	if ev.EntityID == nil {
		return nil
	}
	id := *ev.EntityID
	switch {
	case ev.Entity == crm.EntityNomination && ev.Action == crm.ActionCreate:
		return m.nominated(ctx, ev, id)
	case ev.Entity == crm.EntityNomination && ev.Action == crm.ActionDecide:
		return m.decided(ctx, ev, id)
	case ev.Entity == crm.EntityImport && ev.Action == crm.ActionImport && importFinished(ev):
		return m.imported(ctx, ev, id)
	case ev.Entity == crm.EntityExport && (ev.Action == crm.ActionExport || ev.Action == crm.ActionUpdate):
		return m.exported(ctx, ev, id)
	}
	return nil
}

// managers are the active users who decide nominations, but the actor.
func (m *maker) managers(ctx context.Context, actor *int) ([]*ent.User, error) {
	q := m.tx.User.Query().Where(user.Active(true), user.RoleIn(user.RoleManager, user.RoleAdmin))
	if actor != nil {
		q.Where(user.IDNEQ(*actor))
	}
	us, err := q.Order(user.ByID()).All(ctx)
	for _, u := range us {
		m.users[u.ID] = u
	}
	return us, err
}

func auditKey(ev *ent.AuditEvent, userID int) string {
	return fmt.Sprintf("audit/%d/%d", ev.ID, userID)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// importFinished reports an import's last event: by its message, or (an
// event written before events had messages) by its English summary.
func importFinished(ev *ent.AuditEvent) bool {
	if ev.Message != "" {
		return ev.Message == crm.MsgImportFinishedID
	}
	return strings.HasPrefix(ev.Summary, "finished")
}
