package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
)

// sweepEvery is how often a running server runs the retention sweep.
const sweepEvery = 24 * time.Hour

// privacyCmd runs the data-protection tasks: `rapport privacy sweep` puts
// the contacts a retention policy says are due on the review list.
func privacyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sweep" {
		return usageError(ctx, "privacy sweep")
	}
	cfg, err := parse(ctx, "privacy sweep", "privacy sweep [flags]", args[1:], stderr, nil)
	if err != nil {
		return err
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckMigrated(ctx); err != nil {
		return err
	}
	p := crm.NewPrivacy(d, crm.NewContactWriter(d.Client, d.Dialect, nil, nil), nil)
	ctx = crm.WithActor(ctx, crm.Actor{RequestID: "cli"})
	start := time.Now()
	n, err := p.Sweep(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, trn(ctx, "Retention sweep: {{.Count}} contacts added to the review list in {{.Took}}.", n, "Took", took(ctx, time.Since(start))))
	return nil
}

// startRetentionSweep runs the retention sweep in the background every
// sweepEvery (the first a minute after start); the returned func stops it.
func startRetentionSweep(ctx context.Context, d *db.DB, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	p := crm.NewPrivacy(d, crm.NewContactWriter(d.Client, d.Dialect, nil, nil), nil)
	go func() {
		defer close(done)
		wait := time.Minute
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = sweepEvery
			if n, err := p.Sweep(ctx); err != nil {
				log.Error("retention sweep", "err", err)
			} else {
				log.Info("retention sweep", "added", n)
			}
		}
	}()
	return func() { cancel(); <-done }
}
