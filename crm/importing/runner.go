package importing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// Runner runs dry runs, imports and reverts.
type Runner struct {
	Client    *ent.Client
	Worker    string        // who runs jobs, e.g. "serve:host:pid"
	BatchSize int           // rows per transaction; 0 means DefaultBatchSize
	Heartbeat time.Duration // how often a running job shows life; 0 means 2s
	Limits    Limits        // zero means DefaultLimits
	Lease     time.Duration // how long a claim holds without renewal; 0 means Lease
	MaxRows   int           // the most rows a file may have; 0 means DefaultMaxRows
	Clock     func() time.Time
	// Progress, when set, is told after each committed batch.
	Progress func(processed, total int)
}

// DefaultMaxRows is the most rows an import may have unless the Runner
// says otherwise: bytes alone do not bound the work (49 MiB of short rows
// are 3.75 million contacts).
const DefaultMaxRows = 200_000

func (r *Runner) now() time.Time {
	if r.Clock != nil {
		return r.Clock().UTC()
	}
	return time.Now().UTC()
}

func (r *Runner) lease() time.Duration {
	if r.Lease <= 0 {
		return Lease
	}
	return r.Lease
}

func (r *Runner) maxRows() int {
	if r.MaxRows <= 0 {
		return DefaultMaxRows
	}
	return r.MaxRows
}

// name is the worker name the runner claims jobs under.
func (r *Runner) name() string {
	if r.Worker == "" {
		r.Worker = WorkerName("run")
	}
	return r.Worker
}

// tooManyRows is the error of a file over the row limit.
func tooManyRows(max int) error {
	return invalid("The file has more than %s rows, the most one import takes. Split it into files of at most %s rows and import them one after the other.",
		thousands(max), thousands(max))
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// DefaultBatchSize is the rows per transaction unless the Runner says
// otherwise: on PostgreSQL a batch costs a constant number of statements, so
// bigger batches cost fewer round trips; two are in flight at a time.
const DefaultBatchSize = 5000

func (r *Runner) batchSize() int {
	if r.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return r.BatchSize
}

func (r *Runner) limits() Limits {
	if r.Limits.MaxColumns == 0 {
		return DefaultLimits
	}
	return r.Limits
}

func (r *Runner) newEngine(ctx context.Context, j *ent.ImportJob, dry bool) (*engine, Source, error) {
	pg := r.Client.Dialect() == dialect.Postgres
	src, err := Open(j.Filename, FileOf(j), OptionsOf(j), r.limits())
	if err != nil {
		return nil, nil, err
	}
	if err := CheckMapping(src.Header(), j.Mapping); err != nil {
		src.Close()
		return nil, nil, err
	}
	fields, err := crm.LoadCustomFields(ctx, r.Client, crm.EntityContact)
	if err != nil {
		src.Close()
		return nil, nil, err
	}
	for col, k := range j.Mapping {
		if f, ok := strings.CutPrefix(k, CustomPrefix); ok {
			if _, known := fields.ByKey(f); !known {
				src.Close()
				return nil, nil, invalid("Column %q is mapped to a custom field that no longer exists.", col)
			}
		}
	}
	return &engine{job: j, dry: dry, worker: r.name(), mapper: NewMapper(src.Header(), j.Mapping, r.limits()), owner: j.UserID,
		virtual: map[string]int{}, seen: map[int]bool{}, changed: map[int]bool{}, firstRow: map[int]int{}, pg: pg, fields: fields}, src, nil
}

// readBatch reads up to n records.
func readBatch(src Source, n int) ([]Record, error) {
	recs := make([]Record, 0, n)
	for len(recs) < n {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return recs, io.EOF
		}
		if err != nil {
			return recs, err
		}
		if rec.Cells != nil {
			rec.Cells = clone(rec.Cells)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// Run imports a job that this worker has claimed (see Claim), continuing
// after the rows already committed. Each batch commits its contacts, its
// row outcomes and the job's progress in one transaction.
func (r *Runner) Run(ctx context.Context, id int) error {
	j, err := r.Client.ImportJob.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("import: load job %d: %w", id, err)
	}
	if err := LoadFile(ctx, r.Client, j); err != nil {
		return err
	}
	if j.Status != importjob.StatusRunning || j.Worker != r.name() {
		return ErrLostClaim
	}
	ctx = crm.WithActor(ctx, r.actor(ctx, j))
	err = r.run(ctx, j)
	r.finish(j, err)
	return err
}

func (r *Runner) run(ctx context.Context, j *ent.ImportJob) error {
	if j.TotalRows == 0 {
		n, err := r.count(j)
		if err != nil {
			return err
		}
		// An update by predicate: UpdateOne would read the whole row back, file included.
		if err := r.Client.ImportJob.Update().Where(importjob.ID(j.ID)).SetTotalRows(n).Exec(ctx); err != nil {
			return fmt.Errorf("import: save row count: %w", err)
		}
		j.TotalRows = n
	}
	e, src, err := r.newEngine(ctx, j, false)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := r.restore(ctx, e); err != nil {
		return err
	}
	for skip := j.ProcessedRows; skip > 0; skip-- { // resume: the committed rows come first
		if _, err := src.Next(); err != nil {
			return fmt.Errorf("import: the file has fewer rows than already processed: %w", err)
		}
	}
	e.counts.Processed = j.ProcessedRows
	if j.ProcessedRows == 0 {
		err := withTx(ctx, r.Client, func(ctx context.Context, tx *ent.Tx) error {
			return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionImport, Entity: crm.EntityImport, EntityID: j.ID,
				Msg: crm.MsgImportStarted(j.Filename, j.TotalRows)})
		})
		if err != nil {
			return err
		}
	}
	stop := r.beat(ctx, j.ID, importjob.StatusRunning)
	defer stop()
	return r.batches(ctx, e, src, j.TotalRows)
}

// restore rebuilds, on resume, which contacts earlier batches reached.
func (r *Runner) restore(ctx context.Context, e *engine) error {
	rows, err := r.Client.ImportRow.Query().Where(importrow.ImportID(e.job.ID), dryRunIs(false), importrow.ContactIDNotNil()).
		Select(importrow.FieldContactID, importrow.FieldAction, importrow.FieldRowNo).Order(ent.Asc(importrow.FieldRowNo)).All(ctx)
	if err != nil {
		return fmt.Errorf("import: load committed rows: %w", err)
	}
	for _, row := range rows {
		e.seen[*row.ContactID] = true
		if _, ok := e.firstRow[*row.ContactID]; !ok {
			e.firstRow[*row.ContactID] = row.RowNo
		}
		if row.Action != importrow.ActionUnchanged {
			e.changed[*row.ContactID] = true
		}
	}
	return nil
}

func (r *Runner) count(j *ent.ImportJob) (int, error) {
	src, err := Open(j.Filename, FileOf(j), OptionsOf(j), r.limits())
	if err != nil {
		return 0, err
	}
	defer src.Close()
	n := 0
	for {
		if _, err := src.Next(); errors.Is(err, io.EOF) {
			return n, nil
		} else if err != nil {
			return n, err
		}
		if n++; n > r.maxRows() {
			return n, tooManyRows(r.maxRows())
		}
	}
}

// beat renews the worker's lease on job id (in status) until stop is
// called: a worker that dies stops renewing it, and the job is free once
// the lease has run out.
func (r *Runner) beat(ctx context.Context, id int, status importjob.Status) (stop func()) {
	every := r.Heartbeat
	if every <= 0 {
		every = 2 * time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				now := r.now()
				_ = r.Client.ImportJob.Update().Where(importjob.ID(id), mine(r.name(), status)).
					SetHeartbeatAt(now).SetLeaseUntil(now.Add(r.lease())).Exec(ctx)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// finish records how a run ended, each outcome one guarded move of a job
// this worker still holds. A run stopped by shutdown is marked interrupted
// at once, so nobody waits for its lease to run out.
func (r *Runner) finish(j *ent.ImportJob, runErr error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	to, msg := importjob.StatusDone, ""
	switch {
	case runErr == nil:
	case errors.Is(runErr, ErrLostClaim):
		return
	case errors.Is(runErr, context.Canceled):
		to, msg = importjob.StatusInterrupted, "The import was stopped (the server shut down). The rows counted as processed are committed; resume to import the rest, or revert."
	default:
		to, msg = importjob.StatusFailed, crm.ErrorMessage(runErr)
		if msg == "" {
			msg = "The import failed on a database error; the rows counted as processed are committed. Resume to try the rest again, or revert."
		}
	}
	_, _ = moveOne(ctx, r.Client.ImportJob, j.ID, to, released(r.now(), msg), importjob.Worker(r.name()))
	if runErr == nil {
		_ = withTx(ctx, r.Client, func(ctx context.Context, tx *ent.Tx) error {
			return crm.AuditTx(crm.WithActor(ctx, r.actor(ctx, j)), tx, crm.Event{Action: crm.ActionImport, Entity: crm.EntityImport,
				EntityID: j.ID, Msg: crm.MsgImportFinished(j.Filename)})
		})
	}
}

// actor is who an import is attributed to: the user who uploaded it.
func (r *Runner) actor(ctx context.Context, j *ent.ImportJob) crm.Actor {
	a := crm.ActorFrom(ctx)
	if a.UserID == 0 && j.UserID != nil {
		if u, err := r.Client.User.Get(ctx, *j.UserID); err == nil {
			a = crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: "import-" + fmt.Sprint(j.ID)}
		}
	}
	return a
}
