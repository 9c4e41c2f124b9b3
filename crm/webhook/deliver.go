package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/webhook"
	"github.com/rapport-crm/rapport/ent/webhookdelivery"
)

// Headers of a delivery.
const (
	HeaderEvent     = "X-Rapport-Event"
	HeaderDelivery  = "X-Rapport-Delivery"
	HeaderTimestamp = "X-Rapport-Timestamp"
	HeaderSignature = "X-Rapport-Signature"
)

// Sign is the signature header's value of body sent at timestamp (Unix
// seconds): "v1=" and the hex HMAC-SHA256, keyed with the webhook's secret,
// of the timestamp, a dot and the body.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return signatureVersion + "=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a delivery as a receiver should: the signature, and a
// timestamp no further than tolerance from now (against replays).
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > tolerance {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature))
}

// Deliver sends the due deliveries, at most a batch: for each webhook and
// contact only the oldest pending one, so a contact's events arrive in
// order. Each is claimed first (its next attempt moved on), so a second
// server does not send it at the same time. It returns how many it sent.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	now := s.opt.Now().UTC()
	due, err := s.client.WebhookDelivery.Query().Where(webhookdelivery.StatusEQ(webhookdelivery.StatusPending),
		webhookdelivery.NextAttemptAtLTE(now), oldestOfContact()).Order(webhookdelivery.ByID()).Limit(100).WithWebhook().All(ctx)
	if err != nil {
		return 0, fmt.Errorf("due deliveries: %w", err)
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	sent := 0
	for _, d := range due {
		claimed, err := s.client.WebhookDelivery.Update().Where(webhookdelivery.ID(d.ID), webhookdelivery.NextAttemptAt(d.NextAttemptAt)).
			SetNextAttemptAt(now.Add(2 * s.opt.Timeout)).Save(ctx)
		if err != nil {
			return sent, fmt.Errorf("claim delivery %d: %w", d.ID, err)
		}
		if claimed == 0 || d.Edges.Webhook == nil || !d.Edges.Webhook.Active {
			continue
		}
		sent++
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := s.send(ctx, d); err != nil && ctx.Err() == nil {
				s.opt.Log.Error("webhook delivery bookkeeping", "delivery", d.ID, "err", err)
			}
		}()
	}
	wg.Wait()
	return sent, nil
}

// oldestOfContact keeps a pending delivery only when no older one for the
// same webhook and contact is still pending.
func oldestOfContact() func(*sql.Selector) {
	return func(s *sql.Selector) {
		e := sql.Table(webhookdelivery.Table).As("earlier")
		s.Where(sql.Or(sql.IsNull(s.C(webhookdelivery.FieldContactID)), sql.NotExists(sql.Select(e.C(webhookdelivery.FieldID)).From(e).Where(sql.And(
			sql.ColumnsEQ(e.C(webhookdelivery.FieldWebhookID), s.C(webhookdelivery.FieldWebhookID)),
			sql.ColumnsEQ(e.C(webhookdelivery.FieldContactID), s.C(webhookdelivery.FieldContactID)),
			sql.EQ(e.C(webhookdelivery.FieldStatus), string(webhookdelivery.StatusPending)),
			sql.ColumnsLT(e.C(webhookdelivery.FieldID), s.C(webhookdelivery.FieldID)))))))
	}
}

// send makes one attempt and records its outcome.
func (s *Service) send(ctx context.Context, d *ent.WebhookDelivery) error {
	w := d.Edges.Webhook
	body := []byte(d.Payload)
	ts := s.opt.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	status, msg := 0, ""
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "Rapport-Webhook/1")
		req.Header.Set(HeaderEvent, d.Event)
		req.Header.Set(HeaderDelivery, strconv.Itoa(d.ID))
		req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
		var res *http.Response
		if res, err = s.http.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			res.Body.Close()
			status = res.StatusCode
		}
	}
	switch {
	case errors.Is(err, ErrPrivateAddress):
		msg = "refused: the address is private or local (an admin setting allows it)"
	case err != nil && (errors.Is(err, context.DeadlineExceeded) || isTimeout(err)):
		msg = "no answer within " + s.opt.Timeout.String()
	case err != nil:
		msg = "could not connect"
	case status < 200 || status > 299:
		msg = "answered " + strconv.Itoa(status)
	}
	now := s.opt.Now().UTC()
	if msg == "" {
		if err := s.client.WebhookDelivery.UpdateOneID(d.ID).SetStatus(webhookdelivery.StatusDelivered).SetAttempts(d.Attempts + 1).
			SetLastStatus(status).SetLastError("").SetDeliveredAt(now).Exec(ctx); err != nil {
			return err
		}
		return s.client.Webhook.UpdateOneID(w.ID).Where(webhook.FailuresGT(0)).SetFailures(0).Exec(ctx)
	}
	return s.failed(ctx, d, status, msg, now)
}

// failed schedules the next attempt with exponential backoff, or after
// MaxAttempts gives the delivery up; DisableAfter given-up deliveries in a
// row disable the webhook with a notice.
func (s *Service) failed(ctx context.Context, d *ent.WebhookDelivery, status int, msg string, now time.Time) error {
	attempts := d.Attempts + 1
	u := s.client.WebhookDelivery.UpdateOneID(d.ID).SetAttempts(attempts).SetLastStatus(status).SetLastError(msg)
	if attempts < MaxAttempts {
		return u.SetNextAttemptAt(now.Add(Backoff(attempts))).Exec(ctx)
	}
	if err := u.SetStatus(webhookdelivery.StatusFailed).Exec(ctx); err != nil {
		return err
	}
	w, err := s.client.Webhook.UpdateOneID(d.WebhookID).AddFailures(1).Save(ctx)
	if err != nil || w.Failures < DisableAfter {
		return err
	}
	return s.client.Webhook.UpdateOneID(w.ID).SetActive(false).
		SetNotice(fmt.Sprintf("Disabled on %s after %d deliveries failed %d times each; the last %s. Fix the receiver, then enable it and replay what it missed.",
			now.Format("2 Jan 2006 15:04 UTC"), DisableAfter, MaxAttempts, msg)).Exec(ctx)
}

// Backoff is the wait before attempt n+1 after n failed ones: FirstRetry,
// doubling, at most MaxRetry.
func Backoff(n int) time.Duration {
	d := FirstRetry
	for i := 1; i < n && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
