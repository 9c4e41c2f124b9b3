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

// WorkerName names this process as a worker: role, host and process id.
func WorkerName(role string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%s:%d", role, host, os.Getpid())
}

// Worker runs queued dry runs, imports and reverts in the background of
// `rapport serve`, one at a time, and marks imports whose worker died
// (their lease ran out) as interrupted.
type Worker struct {
	Runner     *Runner
	Poll       time.Duration // how often to look for work; 0 means 1s
	MaxBackoff time.Duration // the longest wait after failed rounds; 0 means 1 min
	Log        *slog.Logger
	failures   int // rounds that failed in a row
}

// Start runs the worker until ctx ends; wait blocks until it has stopped
// (a running import is marked interrupted on the way out).
func (w *Worker) Start(ctx context.Context) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			t := time.NewTimer(w.Step(ctx))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}

// Step does one round of work and returns how long to wait before the
// next: the poll interval, or, while the database cannot be reached, a
// backoff that doubles with each failed round up to MaxBackoff. The log
// gets one line per change of state: an ERROR when rounds start failing,
// an INFO when they work again; nothing in between.
func (w *Worker) Step(ctx context.Context) time.Duration {
	poll, most := w.Poll, w.MaxBackoff
	if poll <= 0 {
		poll = time.Second
	}
	if most <= 0 {
		most = time.Minute
	}
	err := w.round(ctx)
	switch {
	case ctx.Err() != nil:
		return 0
	case err != nil:
		if w.failures == 0 {
			w.Log.Error("import worker: the database cannot be reached; retrying with backoff", "err", err)
		}
		w.failures++
		wait := poll
		for i := 1; i < w.failures && wait < most; i++ {
			wait *= 2
		}
		return min(wait, most)
	case w.failures > 0:
		w.Log.Info("import worker: the database is reachable again", "failed_rounds", w.failures)
		w.failures = 0
	}
	return poll
}

// round marks imports whose lease ran out as interrupted, then runs the
// queued jobs (and dry runs and reverts whose worker died) one by one
// until none is left. Its error is the database's, not a job's: a job that
// fails is logged and recorded on the job.
func (w *Worker) round(ctx context.Context) error {
	r := w.Runner
	if _, err := MarkStale(ctx, r.Client, r.now()); err != nil {
		return err
	}
	for ctx.Err() == nil {
		now := r.now()
		j, err := r.Client.ImportJob.Query().Where(
			importjob.StatusIn(importjob.StatusChecking, importjob.StatusRunning, importjob.StatusReverting), free(now),
			importjob.Or(importjob.Worker(""), importjob.StatusNEQ(importjob.StatusRunning))).
			Select(importjob.FieldID, importjob.FieldStatus).Order(ent.Asc(importjob.FieldID)).First(ctx)
		if ent.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		ok, err := claim(ctx, r.Client, j.ID, j.Status, r.name(), false, now, r.lease())
		if err != nil {
			return err
		}
		if ok {
			w.run(ctx, j.ID, j.Status)
		}
	}
	return nil
}

// run does the job the worker has claimed.
func (w *Worker) run(ctx context.Context, id int, status importjob.Status) {
	log := w.Log.With("import_id", id, "task", string(status))
	log.Info("import job started")
	var err error
	switch status {
	case importjob.StatusChecking:
		_, err = w.Runner.DryRunClaimed(ctx, id)
	case importjob.StatusRunning:
		err = w.Runner.Run(ctx, id)
	case importjob.StatusReverting:
		_, err = w.Runner.RevertClaimed(ctx, id)
	}
	switch {
	case err == nil:
		log.Info("import job ended")
	case errors.Is(err, context.Canceled):
		log.Info("import job stopped by shutdown")
	default:
		log.Error("import job failed", "err", err)
	}
}
