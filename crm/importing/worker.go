package importing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
)

// StaleAfter is how long a running import may go without a heartbeat before
// it counts as interrupted.
const StaleAfter = 30 * time.Second

// WorkerName names this process as a worker: role, host and process id.
func WorkerName(role string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%s:%d", role, host, os.Getpid())
}

// Worker runs queued imports in the background of `rapport serve`, one at a
// time, and marks imports whose worker died as interrupted.
type Worker struct {
	Runner     *Runner
	Poll       time.Duration // how often to look for work; 0 means 1s
	StaleAfter time.Duration // 0 means StaleAfter
	Log        *slog.Logger
}

// Start runs the worker until ctx ends; wait blocks until it has stopped
// (a running import is marked interrupted on the way out).
func (w *Worker) Start(ctx context.Context) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		poll := w.Poll
		if poll <= 0 {
			poll = time.Second
		}
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			w.tick(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}

func (w *Worker) tick(ctx context.Context) {
	stale := w.StaleAfter
	if stale <= 0 {
		stale = StaleAfter
	}
	if _, err := MarkStale(ctx, w.Runner.Client, stale); err != nil && ctx.Err() == nil {
		w.Log.Error("import worker: check stale imports", "err", err)
	}
	for ctx.Err() == nil {
		id, err := w.Runner.Client.ImportJob.Query().Where(importjob.StatusEQ(importjob.StatusRunning), importjob.Worker("")).
			Order(ent.Asc(importjob.FieldID)).FirstID(ctx)
		if ent.IsNotFound(err) || ctx.Err() != nil {
			return
		}
		if err != nil {
			w.Log.Error("import worker: find queued imports", "err", err)
			return
		}
		ok, err := Claim(ctx, w.Runner.Client, id, w.Runner.Worker, false)
		if err != nil || !ok {
			return
		}
		w.Log.Info("import started", "import_id", id)
		if err := w.Runner.Run(ctx, id); err != nil && !errors.Is(err, context.Canceled) {
			w.Log.Error("import failed", "import_id", id, "err", err)
		} else {
			w.Log.Info("import ended", "import_id", id)
		}
	}
}
