package importing

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
)

// NewJob is an uploaded file.
type NewJob struct {
	UserID   *int
	Filename string
	Data     []byte
}

// CreateJob detects how to read the file, checks that it has a header and
// at least one row, and stores it as a job with a guessed mapping.
func CreateJob(ctx context.Context, client *ent.Client, in NewJob) (*ent.ImportJob, error) {
	sn, err := Detect(in.Filename, in.Data)
	if err != nil {
		return nil, err
	}
	o := Options{Format: sn.Format, Encoding: sn.Encoding, Delimiter: sn.Delimiter}
	if len(sn.Sheets) > 0 {
		o.Sheet = sn.Sheets[0]
	}
	header, err := checkRows(in.Filename, in.Data, o)
	if err != nil {
		return nil, err
	}
	name := []rune(in.Filename)
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	j, err := client.ImportJob.Create().SetNillableUserID(in.UserID).SetFilename(string(name)).
		SetFormat(importjob.Format(o.Format)).SetEncoding(o.Encoding).SetDelimiter(o.Delimiter).SetSheet(o.Sheet).
		SetFile(in.Data).SetMapping(Guess(header)).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: save upload: %w", err)
	}
	return j, nil
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
	src, err := Open(j.Filename, j.File, OptionsOf(j), DefaultLimits)
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
// When the columns change, the mapping is guessed anew.
func Settings(ctx context.Context, client *ent.Client, j *ent.ImportJob, o Options) (*ent.ImportJob, error) {
	if err := editable(j); err != nil {
		return nil, err
	}
	o.Format = string(j.Format)
	header, err := checkRows(j.Filename, j.File, o)
	if err != nil {
		return nil, err
	}
	upd := j.Update().SetEncoding(o.Encoding).SetDelimiter(o.Delimiter).SetSheet(o.Sheet)
	if !sameColumns(header, j.Mapping) {
		upd.SetMapping(Guess(header)).SetStatus(importjob.StatusUploaded)
	}
	return upd.Save(ctx)
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
	n, err := client.ImportJob.Update().Where(importjob.ID(j.ID)).SetMapping(clean).SetStatus(importjob.StatusMapped).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: save mapping: %w", err)
	}
	if n == 0 {
		return nil, &ent.NotFoundError{}
	}
	out := *j
	out.Mapping, out.Status = clean, importjob.StatusMapped
	return &out, nil
}

// editable refuses changes to a job that has started running.
func editable(j *ent.ImportJob) error {
	switch j.Status {
	case importjob.StatusUploaded, importjob.StatusMapped, importjob.StatusDryRun:
		return nil
	}
	return crm.Errorf(crm.EConflict, "This import has already run; start a new one to read the file differently.")
}

// Queue marks a checked job to be run by the background worker; an
// interrupted or failed one is queued to resume where it stopped.
func Queue(ctx context.Context, client *ent.Client, id int) error {
	n, err := client.ImportJob.Update().Where(importjob.ID(id),
		importjob.StatusIn(importjob.StatusMapped, importjob.StatusDryRun, importjob.StatusInterrupted, importjob.StatusFailed)).
		SetStatus(importjob.StatusRunning).SetWorker("").ClearHeartbeatAt().SetMessage("Waiting for the worker…").Save(ctx)
	if err != nil {
		return fmt.Errorf("import: queue job %d: %w", id, err)
	}
	if n == 0 {
		return crm.Errorf(crm.EConflict, "This import cannot be started now: check the mapping and the dry run first, or it is already running or done.")
	}
	return nil
}

// Claim makes worker the runner of job id if it is queued (or, with
// direct, ready to run or resume), so two workers never run one job.
func Claim(ctx context.Context, client *ent.Client, id int, worker string, direct bool) (bool, error) {
	ready := importjob.And(importjob.StatusEQ(importjob.StatusRunning), importjob.Worker(""))
	if direct {
		ready = importjob.Or(ready, importjob.StatusIn(importjob.StatusMapped, importjob.StatusDryRun,
			importjob.StatusInterrupted, importjob.StatusFailed))
	}
	now := time.Now().UTC()
	n, err := client.ImportJob.Update().Where(importjob.ID(id), ready).SetStatus(importjob.StatusRunning).
		SetWorker(worker).SetHeartbeatAt(now).SetMessage("").Save(ctx)
	if err != nil {
		return false, fmt.Errorf("import: claim job %d: %w", id, err)
	}
	if n == 1 {
		_, err = client.ImportJob.Update().Where(importjob.ID(id), importjob.StartedAtIsNil()).SetStartedAt(now).Save(ctx)
	}
	return n == 1, err
}

// MarkStale marks running jobs whose worker has shown no life for olderThan
// as interrupted: their committed rows stay, and they can be resumed or
// reverted.
func MarkStale(ctx context.Context, client *ent.Client, olderThan time.Duration) (int, error) {
	n, err := client.ImportJob.Update().Where(importjob.StatusEQ(importjob.StatusRunning), importjob.WorkerNEQ(""),
		importjob.HeartbeatAtLT(time.Now().UTC().Add(-olderThan))).
		SetStatus(importjob.StatusInterrupted).
		SetMessage("The import stopped (the process running it ended). The rows counted as processed are committed; resume to import the rest, or revert.").
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("import: mark stale jobs: %w", err)
	}
	return n, nil
}
