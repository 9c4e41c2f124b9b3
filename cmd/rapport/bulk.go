package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
)

// startBulkWorker runs queued bulk changes and undos (those over
// crm.BulkSyncMax contacts) in the background of serve, each under a lease
// so that another instance resumes one whose worker died; stop waits for it.
func startBulkWorker(ctx context.Context, d *db.DB, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	b := crm.NewBulkActions(d.Client, w, nil, nil)
	b.Worker = importing.WorkerName("bulk")
	wait := b.StartWorker(ctx, time.Second, log)
	return func() { cancel(); wait() }
}
