package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/webhook"
	"github.com/rapport-crm/rapport/ent/webhookdelivery"
)

// Limits and timings of deliveries.
const (
	MaxAttempts      = 8                // tries of one delivery before it fails for good
	DisableAfter     = 5                // deliveries failed for good in a row disable a webhook
	FirstRetry       = 10 * time.Second // then 20 s, 40 s … (doubling), at most MaxRetry
	MaxRetry         = time.Hour
	SendTimeout      = 10 * time.Second
	maxWebhooks      = 100
	gapHold          = 5 * time.Second // how long a hole in the audit ids may be a transaction still committing
	EntityWebhook    = "webhook"
	signatureVersion = "v1"
)

// Options configure the service.
type Options struct {
	// AllowPrivate lets deliveries go to loopback and private addresses
	// (RAPPORT_WEBHOOKS_ALLOW_PRIVATE); off by default against SSRF.
	AllowPrivate bool
	Now          func() time.Time
	Log          *slog.Logger
	Timeout      time.Duration // of one attempt; 0 means SendTimeout
}

// Service manages subscriptions and runs deliveries.
type Service struct {
	client *ent.Client
	http   *http.Client
	opt    Options
}

// New returns the webhook service of client.
func New(client *ent.Client, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Timeout <= 0 {
		opt.Timeout = SendTimeout
	}
	return &Service{client: client, http: newClient(opt.AllowPrivate, opt.Timeout), opt: opt}
}

// Input is a new subscription.
type Input struct {
	URL    string
	Events []string
}

// Create subscribes a URL to events and returns it with its signing secret
// (shown to the admin on the webhook's page). Audited.
func (s *Service) Create(ctx context.Context, in Input) (*ent.Webhook, error) {
	fe := crm.FieldErrors{}
	in.URL = strings.TrimSpace(in.URL)
	if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.URL) > 2000 || u.User != nil {
		fe.Add("url", "Enter an http(s) address without a password in it, e.g. https://hooks.example.com/rapport.")
	}
	if len(in.Events) == 0 {
		fe.Add("events", "Choose at least one event.")
	}
	for _, e := range in.Events {
		if !ValidType(e) {
			fe.Add("events", "Choose events from the list.")
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("webhook secret: %w", err)
	}
	var w *ent.Webhook
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		n, err := tx.Webhook.Query().Count(ctx)
		if err != nil {
			return err
		}
		if n >= maxWebhooks {
			return crm.Errorf(crm.EInvalid, "There are %d webhooks already; delete one first.", n)
		}
		a := crm.ActorFrom(ctx)
		c := tx.Webhook.Create().SetURL(in.URL).SetEvents(in.Events).SetSecret("whsec_" + hex.EncodeToString(raw))
		if a.UserID != 0 {
			c.SetCreatedBy(a.UserID)
		}
		if w, err = c.Save(ctx); err != nil {
			return err
		}
		return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionCreate, Entity: EntityWebhook, EntityID: w.ID, Msg: crm.MsgWebhook(crm.Truncate(in.URL, 200))})
	})
	if err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	return w, nil
}

// Delete removes a webhook and its delivery log. Audited.
func (s *Service) Delete(ctx context.Context, id int) error {
	return db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		w, err := tx.Webhook.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Webhook.DeleteOne(w).Exec(ctx); err != nil {
			return err
		}
		return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionDelete, Entity: EntityWebhook, EntityID: id, Msg: crm.MsgWebhook(crm.Truncate(w.URL, 200))})
	})
}

// Enable turns a disabled webhook on again and clears its notice.
func (s *Service) Enable(ctx context.Context, id int) error {
	return db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		if err := tx.Webhook.UpdateOneID(id).SetActive(true).SetFailures(0).SetNotice("").Exec(ctx); err != nil {
			return err
		}
		return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionUpdate, Entity: EntityWebhook, EntityID: id, Msg: crm.MsgWebhookEnabled()})
	})
}

// Replay sends delivery id again (whatever its state) at the next round.
func (s *Service) Replay(ctx context.Context, webhookID, id int) error {
	n, err := s.client.WebhookDelivery.Update().Where(webhookdelivery.ID(id), webhookdelivery.WebhookID(webhookID)).
		SetStatus(webhookdelivery.StatusPending).SetAttempts(0).SetNextAttemptAt(s.opt.Now().UTC()).Save(ctx)
	if err != nil {
		return fmt.Errorf("replay delivery %d: %w", id, err)
	}
	if n == 0 {
		return crm.Errorf(crm.ENotFound, "There is no such delivery.")
	}
	return nil
}

// List returns every webhook, newest first.
func (s *Service) List(ctx context.Context) ([]*ent.Webhook, error) {
	return s.client.Webhook.Query().Order(ent.Desc(webhook.FieldID)).All(ctx)
}

// Log returns a webhook and its newest deliveries (at most limit).
func (s *Service) Log(ctx context.Context, id, limit int) (*ent.Webhook, []*ent.WebhookDelivery, error) {
	w, err := s.client.Webhook.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ds, err := s.client.WebhookDelivery.Query().Where(webhookdelivery.WebhookID(id)).Order(ent.Desc(webhookdelivery.FieldID)).Limit(limit).All(ctx)
	return w, ds, err
}
