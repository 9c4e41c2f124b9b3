package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
)

// feedEvery is how often a server looks for due feeds (each feed has its own interval).
const feedEvery = time.Minute

// startFeedPoller polls due feeds in the background (a lease in the
// database lets several servers share them); the returned func stops it.
func startFeedPoller(ctx context.Context, d *db.DB, fetchPrivate bool, log *slog.Logger) func() {
	host, _ := os.Hostname()
	p := crm.NewFeedPoller(d.Client, d.Dialect, crm.NewFeedFetcher(fetchPrivate, 0), nil, fmt.Sprintf("%s/%d", host, os.Getpid()))
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx, feedEvery, func(msg string, args ...any) { log.Info(msg, args...) })
	}()
	return func() { cancel(); <-done }
}
