package importing

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importfile"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// NewJob is an uploaded file.
type NewJob struct {
	UserID   *int
	Filename string
	Data     []byte
}

// loadFieldsInto reads the contact fields a mapping may name.
func loadFieldsInto(ctx context.Context, client *ent.Client, fields *crm.CustomFields) error {
	fs, err := crm.LoadCustomFields(ctx, client, crm.EntityContact)
	*fields = fs
	return err
}

// CreateJob detects how to read the file, checks that it has a header and
// at least one row, and stores it as a job with a guessed mapping (the
// admins' custom fields too, by label).
func CreateJob(ctx context.Context, client *ent.Client, in NewJob) (*ent.ImportJob, error) {
	var fields crm.CustomFields
	sn, err := Detect(in.Filename, in.Data)
	if err != nil {
		return nil, err
	}
	o := Options{Format: sn.Format, Encoding: sn.Encoding, Delimiter: sn.Delimiter}
	if len(sn.Sheets) > 0 {
		o.Sheet = sn.Sheets[0]
	}
	header, err := checkRows(in.Filename, in.Data, o)
	if err == nil {
		err = loadFieldsInto(ctx, client, &fields)
	}
	if err != nil {
		return nil, err
	}
	name := []rune(in.Filename)
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	var j *ent.ImportJob
	err = withTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		var err error
		j, err = tx.ImportJob.Create().SetNillableUserID(in.UserID).SetFilename(string(name)).
			SetFormat(importjob.Format(o.Format)).SetEncoding(o.Encoding).SetDelimiter(o.Delimiter).SetSheet(o.Sheet).
			SetMapping(guessCustom(header, Guess(header), fields)).Save(ctx)
		if err != nil {
			return err
		}
		j.Edges.File, err = tx.ImportFile.Create().SetImportID(j.ID).SetData(in.Data).Save(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("import: save upload: %w", err)
	}
	return j, nil
}

// LoadFile reads the uploaded file of j into j.Edges.File (see FileOf).
func LoadFile(ctx context.Context, client *ent.Client, j *ent.ImportJob) error {
	f, err := client.ImportFile.Query().Where(importfile.ImportID(j.ID)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("import: load the file of job %d: %w", j.ID, err)
	}
	j.Edges.File = f
	return nil
}

// ensureFile loads the file of j unless it is loaded.
func ensureFile(ctx context.Context, client *ent.Client, j *ent.ImportJob) error {
	if j.Edges.File != nil {
		return nil
	}
	return LoadFile(ctx, client, j)
}

// FileOf is the uploaded file of j as loaded by CreateJob or LoadFile; nil
// when it was not loaded.
func FileOf(j *ent.ImportJob) []byte {
	if j.Edges.File == nil {
		return nil
	}
	return j.Edges.File.Data
}

// checkRows opens the file and refuses one without any row below its header.
func checkRows(name string, data []byte, o Options) ([]string, error) {
	src, err := Open(name, data, o, DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	for {
		rec, err := src.Next()
		if err != nil {
			if o.Format == FormatVCard {
				return nil, invalid("The file has no vCard in it (no BEGIN:VCARD line).")
			}
			return nil, invalid("The file has column names but no rows below them: there is nothing to import.")
		}
		if rec.Err != "" || !blank(rec.Cells) {
			return src.Header(), nil
		}
	}
}

// OptionsOf says how a job's file is read.
func OptionsOf(j *ent.ImportJob) Options {
	return Options{Format: string(j.Format), Encoding: j.Encoding, Delimiter: j.Delimiter, Sheet: j.Sheet}
}

// Preview returns the header and the first n records of a job's file as
// decoded with the job's settings.
func Preview(j *ent.ImportJob, n int) ([]string, []Record, error) {
	src, err := Open(j.Filename, FileOf(j), OptionsOf(j), DefaultLimits)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	var recs []Record
	for len(recs) < n {
		rec, err := src.Next()
		if err != nil {
			break
		}
		rec.Cells = clone(rec.Cells) // readers may reuse the slice
		recs = append(recs, rec)
	}
	return src.Header(), recs, nil
}

// Settings changes how a job's file is read (encoding, delimiter, sheet).
// When the columns change, the mapping is guessed anew; a dry run is to be
// done again either way.
func Settings(ctx context.Context, client *ent.Client, j *ent.ImportJob, o Options) (*ent.ImportJob, error) {
	if err := editable(j); err != nil {
		return nil, err
	}
	if err := ensureFile(ctx, client, j); err != nil {
		return nil, err
	}
	o.Format = string(j.Format)
	header, err := checkRows(j.Filename, FileOf(j), o)
	if err != nil {
		return nil, err
	}
	to, mapping := importjob.StatusMapped, j.Mapping
	if j.Status == importjob.StatusUploaded || !sameColumns(header, j.Mapping) {
		var fields crm.CustomFields
		if err := loadFieldsInto(ctx, client, &fields); err != nil {
			return nil, err
		}
		to, mapping = importjob.StatusUploaded, guessCustom(header, Guess(header), fields)
	}
	ok, err := moveOne(ctx, client.ImportJob, j.ID, to, func(u *ent.ImportJobUpdate) {
		u.SetEncoding(o.Encoding).SetDelimiter(o.Delimiter).SetSheet(o.Sheet).SetMapping(mapping)
	}, notChecking)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errStarted
	}
	out := *j
	out.Encoding, out.Delimiter, out.Sheet, out.Mapping, out.Status = o.Encoding, o.Delimiter, o.Sheet, mapping, to
	return &out, nil
}

func sameColumns(header []string, m map[string]string) bool {
	if len(header) != len(m) {
		return false
	}
	for _, h := range header {
		if _, ok := m[h]; !ok {
			return false
		}
	}
	return true
}

// SetMapping stores a checked mapping and marks the job mapped.
func SetMapping(ctx context.Context, client *ent.Client, j *ent.ImportJob, m map[string]string) (*ent.ImportJob, error) {
	if err := editable(j); err != nil {
		return nil, err
	}
	if err := ensureFile(ctx, client, j); err != nil {
		return nil, err
	}
	header, _, err := Preview(j, 0)
	if err != nil {
		return nil, err
	}
	clean := make(map[string]string, len(header))
	for _, h := range header {
		clean[h] = m[h]
	}
	if err := CheckMapping(header, clean); err != nil {
		return nil, err
	}
	// An update by predicate: UpdateOne would read the whole row back, file included.
	ok, err := moveOne(ctx, client.ImportJob, j.ID, importjob.StatusMapped, func(u *ent.ImportJobUpdate) { u.SetMapping(clean) }, notChecking)
	if err != nil {
		return nil, fmt.Errorf("import: save mapping: %w", err)
	}
	if !ok {
		return nil, errStarted
	}
	out := *j
	out.Mapping, out.Status = clean, importjob.StatusMapped
	return &out, nil
}

// notChecking keeps a user's edit from taking a job out of its dry run
// (checking → mapped is the dry run's own way back when it fails).
var notChecking = importjob.StatusNEQ(importjob.StatusChecking)

var errStarted = crm.Errorf(crm.EConflict, "This import has already run, or its dry run is under way; start a new one to read the file differently.")

// editable refuses changes to a job that has started running.
func editable(j *ent.ImportJob) error {
	if !CanMove(j.Status, importjob.StatusMapped) || j.Status == importjob.StatusChecking {
		return errStarted
	}
	return nil
}

// Queue marks a checked job to be run by the background worker; an
// interrupted or failed one is queued to resume where it stopped.
func Queue(ctx context.Context, client *ent.Client, id int) error {
	ok, err := moveOne(ctx, client.ImportJob, id, importjob.StatusRunning, queued("Waiting for the worker…"))
	if err != nil {
		return fmt.Errorf("import: queue job %d: %w", id, err)
	}
	if !ok {
		return crm.Errorf(crm.EConflict, "This import cannot be started now: check the mapping and the dry run first, or it is already running, being reverted or done.")
	}
	return nil
}

// QueueDryRun asks the background worker for a dry run of a mapped job.
func QueueDryRun(ctx context.Context, client *ent.Client, id int) error {
	ok, err := moveOne(ctx, client.ImportJob, id, importjob.StatusChecking, func(u *ent.ImportJobUpdate) {
		queued("Waiting for the worker…")(u)
		u.SetProcessedRows(0).SetTotalRows(0)
	})
	if err != nil {
		return fmt.Errorf("import: queue dry run of job %d: %w", id, err)
	}
	if !ok {
		return errStarted
	}
	return nil
}

// Claim makes worker the runner of job id if it is queued (or, with
// direct, ready to run or resume), so two workers never run one job.
func Claim(ctx context.Context, client *ent.Client, id int, worker string, direct bool) (bool, error) {
	return claim(ctx, client, id, importjob.StatusRunning, worker, direct, time.Now().UTC(), Lease)
}

// claim gives job id, queued in status, to worker under a lease from now:
// one conditional update that only succeeds while no lease holds. For a
// queued import it also wants no worker named (a dead worker's import is
// interrupted first: its user decides whether to resume or revert). With
// direct, an import ready to run or resume is started at once (move).
func claim(ctx context.Context, client *ent.Client, id int, status importjob.Status, worker string, direct bool, now time.Time, lease time.Duration) (bool, error) {
	ready := []predicate.ImportJob{importjob.ID(id), importjob.StatusEQ(status), free(now)}
	if status == importjob.StatusRunning && !direct {
		ready = append(ready, importjob.Worker(""))
	}
	upd := client.ImportJob.Update().Where(ready...)
	claimedBy(worker, now, lease)(upd)
	n, err := upd.Save(ctx)
	if err != nil {
		return false, fmt.Errorf("import: claim job %d: %w", id, err)
	}
	if n == 0 && direct && status == importjob.StatusRunning {
		ok, err := moveOne(ctx, client.ImportJob, id, importjob.StatusRunning, claimedBy(worker, now, lease))
		if err != nil {
			return false, fmt.Errorf("import: claim job %d: %w", id, err)
		}
		if ok {
			n = 1
		}
	}
	if n == 1 {
		_, err = client.ImportJob.Update().Where(importjob.ID(id), importjob.StartedAtIsNil()).SetStartedAt(now).Save(ctx)
	}
	return n == 1, err
}

// MarkStale marks running imports whose worker's lease ran out before now
// as interrupted: their committed rows stay, and they can be resumed (at
// once) or reverted.
func MarkStale(ctx context.Context, client *ent.Client, now time.Time) (int, error) {
	return move(ctx, client.ImportJob, importjob.StatusInterrupted, func(u *ent.ImportJobUpdate) {
		u.SetWorker("").ClearLeaseUntil().
			SetMessage("The import stopped (the process running it ended). The rows counted as processed are committed; resume to import the rest, or revert.")
	}, importjob.LeaseUntilLT(now))
}

// Claim makes this runner the runner of import id if it is queued (or,
// with direct, ready to run or resume, or held by a worker whose lease ran
// out), on the runner's clock.
func (r *Runner) Claim(ctx context.Context, id int, direct bool) (bool, error) {
	return claim(ctx, r.Client, id, importjob.StatusRunning, r.name(), direct, r.now(), r.lease())
}
