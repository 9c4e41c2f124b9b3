package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/crm/webhook"
	"github.com/rapport-crm/rapport/db"
)

// webhookInterval is how often the server looks for new events and due
// deliveries: a delivery leaves within about this long after its commit.
const webhookInterval = 250 * time.Millisecond

// startWebhooks runs the webhook dispatcher and deliverer in the background;
// the returned function stops it and waits.
func startWebhooks(ctx context.Context, d *db.DB, allowPrivate bool, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	svc := webhook.New(d.Client, webhook.Options{AllowPrivate: allowPrivate, Log: log})
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx, webhookInterval) }()
	return func() { cancel(); <-done }
}
