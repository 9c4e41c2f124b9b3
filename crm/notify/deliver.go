package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/notification"
)

// Deliver sends the due notifications, at most a batch, and returns how
// many the mail server accepted. Each is claimed first: its status moves to
// sending with compare-and-set on the row as read, so of two senders that
// read it only one claims it. The claim holds until its lease runs out; a
// sender that died while holding it leaves the notification to be retried
// then (the mail server may have accepted it: the retry carries the same
// Message-ID).
func (s *Service) Deliver(ctx context.Context) (int, error) {
	if !s.conf().SMTP.Enabled() {
		return 0, nil
	}
	now := s.opt.Now().UTC()
	due, err := s.client.Notification.Query().Where(notification.StatusIn(notification.StatusPending, notification.StatusSending),
		notification.NextAttemptAtLTE(now)).Order(notification.ByNextAttemptAt(), notification.ByID()).Limit(s.opt.Batch).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("due notifications: %w", err)
	}
	sent := 0
	for _, n := range due {
		ok, err := s.claim(ctx, n, now)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue
		}
		if err := s.send(ctx, n); err != nil {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			s.opt.Log.Warn("notification not sent", "notification", n.ID, "attempt", n.Attempts+1, "err", err)
			if err := s.failed(ctx, n, err); err != nil {
				return sent, err
			}
			continue
		}
		sent++
		if err := s.client.Notification.Update().Where(notification.ID(n.ID), notification.StatusEQ(notification.StatusSending)).
			SetStatus(notification.StatusSent).SetAttempts(n.Attempts + 1).SetLastError("").SetSentAt(s.opt.Now().UTC()).Exec(ctx); err != nil {
			return sent, fmt.Errorf("notification %d sent: %w", n.ID, err)
		}
	}
	return sent, nil
}

// claim moves n to sending for one lease, if nobody changed it since it was read.
func (s *Service) claim(ctx context.Context, n *ent.Notification, now time.Time) (bool, error) {
	k, err := s.client.Notification.Update().Where(notification.ID(n.ID), notification.StatusEQ(n.Status),
		notification.Attempts(n.Attempts), notification.NextAttemptAt(n.NextAttemptAt)).
		SetStatus(notification.StatusSending).SetNextAttemptAt(now.Add(s.lease())).Save(ctx)
	if err != nil {
		return false, fmt.Errorf("claim notification %d: %w", n.ID, err)
	}
	return k == 1, nil
}

// lease is how long a claim holds: longer than one SMTP conversation.
func (s *Service) lease() time.Duration { return 2*s.opt.Timeout + time.Minute }

// failed schedules the next attempt with exponential backoff, or after
// MaxAttempts gives the notification up.
func (s *Service) failed(ctx context.Context, n *ent.Notification, sendErr error) error {
	attempts := n.Attempts + 1
	msg := []rune(sendErr.Error())
	if len(msg) > 300 {
		msg = msg[:300]
	}
	u := s.client.Notification.Update().Where(notification.ID(n.ID), notification.StatusEQ(notification.StatusSending)).
		SetAttempts(attempts).SetLastError(string(msg))
	if attempts < MaxAttempts {
		u.SetStatus(notification.StatusPending).SetNextAttemptAt(s.opt.Now().UTC().Add(Backoff(attempts)))
	} else {
		u.SetStatus(notification.StatusFailed)
	}
	if err := u.Exec(ctx); err != nil {
		return fmt.Errorf("notification %d failed: %w", n.ID, err)
	}
	return nil
}

// Keep is how long sent and given-up notifications are kept: their text
// names contacts, so they do not outlive the need to see what went out.
const Keep = 30 * 24 * time.Hour

// Prune deletes the sent and given-up notifications older than Keep.
func (s *Service) Prune(ctx context.Context) (int, error) {
	n, err := s.client.Notification.Delete().Where(notification.StatusIn(notification.StatusSent, notification.StatusFailed),
		notification.CreatedAtLT(s.opt.Now().UTC().Add(-Keep))).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("prune notifications: %w", err)
	}
	return n, nil
}
