package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
)

// healthEvery is how often a running server recomputes relationship health:
// the score's recency part moves as days pass without a touch.
const healthEvery = 24 * time.Hour

// healthCmd recomputes every contact's health and touch due date now.
func healthCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var recompute bool
	cfg, err := parse(ctx, "health", "health --recompute [flags]", args, stderr, func(fs *flag.FlagSet, _ *Config) {
		fs.BoolVar(&recompute, "recompute", false, tr(ctx, "recompute every contact's relationship health and touch due date"))
	})
	if err != nil {
		return err
	}
	if !recompute {
		return errors.New(tr(ctx, "Nothing to do: run 'rapport health --recompute'."))
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckMigrated(ctx); err != nil {
		return err
	}
	if err := crm.EnsureStages(ctx, d.Client); err != nil {
		return err
	}
	start := time.Now()
	n, err := crm.RecomputeHealth(ctx, d.Client, start)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, trn(ctx, "Recomputed relationship health: {{.Count}} contacts changed in {{.Took}}.", n, "Took", took(ctx, time.Since(start))))
	return nil
}

// startHealthTicker writes missing stage settings, then recomputes health in
// the background at start and every healthEvery; the returned func stops it.
func startHealthTicker(ctx context.Context, d *db.DB, log *slog.Logger) func() {
	if err := crm.EnsureStages(ctx, d.Client); err != nil {
		log.Error("stage settings", "err", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		crm.HealthTicker(ctx, d.Client, healthEvery, func(msg string, args ...any) { log.Info(msg, args...) })
	}()
	return func() { cancel(); <-done }
}

// campaignEvery is how often the server marks pitches without a reply.
const campaignEvery = time.Hour

// startCampaignTicker runs crm.SweepNoReply at start and every campaignEvery
// in the background; the returned func stops it.
func startCampaignTicker(ctx context.Context, d *db.DB, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		crm.CampaignTicker(ctx, d.Client, campaignEvery, func(msg string, args ...any) { log.Info(msg, args...) })
	}()
	return func() { cancel(); <-done }
}
