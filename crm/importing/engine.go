package importing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// Counts are the outcomes of a run or a dry run.
type Counts struct {
	Processed, Created, Updated, Unchanged, Merged, Errors int
}

func (c *Counts) add(action string) {
	switch action {
	case ActCreate:
		c.Created++
	case ActUpdate:
		c.Updated++
	case ActUnchanged:
		c.Unchanged++
	case ActMerged:
		c.Merged++
	case ActError:
		c.Errors++
	}
}

// ErrLostClaim means another worker (or the interrupted-job check) took the
// job over while this one was still at it; the batch was not committed.
var ErrLostClaim = errors.New("import: the job is no longer this worker's")

// engine carries the state of one pass over a file.
type engine struct {
	job      *ent.ImportJob
	dry      bool
	worker   string
	mapper   *Mapper
	owner    *int
	virtual  map[string]int     // dry run: match key → -(first row) of a contact an earlier batch would create
	seen     map[int]bool       // contacts rows of earlier batches led to
	changed  map[int]bool       // contacts this import created or changed in earlier batches
	firstRow map[int]int        // contact → the first row that led to it
	pg       bool               // PostgreSQL: write in bulk with array parameters, two batches at a time
	w        *crm.ContactWriter // the one contact writer, made on first use
	fields   crm.CustomFields   // the contact fields the mapping's custom.KEY columns type their cells by
	wOnce    sync.Once
	counts   Counts
	// dupChecks counts the new contacts the dry run checked for duplicates.
	dupChecks int
	// mu guards the maps above while a batch is planned on one goroutine
	// and the run loop records a committed one on another.
	mu sync.RWMutex
}

func (e *engine) summary(row int) crm.AuditMsg {
	return crm.MsgImportedRow(e.job.Filename, e.job.ID, row)
}

// commit writes a planned batch in tx: the contacts (unless dry), one
// ImportRow per row and the job's progress, all or nothing. It returns the
// batch's counts, which the caller adds once the transaction has committed.
func (e *engine) commit(ctx context.Context, tx *ent.Tx, b *batch, records, before int) (Counts, error) {
	if !e.dry {
		if err := e.writeContacts(ctx, tx, b, nil); err != nil {
			return Counts{}, err
		}
	}
	if err := e.saveOutcomes(ctx, tx, b); err != nil {
		return Counts{}, err
	}
	c := b.counts()
	if e.dry {
		return c, nil
	}
	return c, e.saveProgress(ctx, tx, c, records, before)
}

// counts sums the batch's outcomes.
func (b *batch) counts() Counts {
	var c Counts
	for _, o := range b.outcomes {
		if o.action != "" {
			c.add(o.action)
		}
	}
	return c
}

// saveProgress adds a batch to the job's counters, provided the job is
// still this worker's and exactly the rows before the batch are committed
// (before): a batch never commits ahead of an earlier one, so the counter
// always names a prefix of the file that resume can skip.
func (e *engine) saveProgress(ctx context.Context, tx *ent.Tx, c Counts, records, before int) error {
	n, err := tx.ImportJob.Update().Where(importjob.ID(e.job.ID), importjob.Worker(e.worker), importjob.StatusEQ(importjob.StatusRunning),
		importjob.ProcessedRows(before)).
		AddProcessedRows(records).AddCreatedCount(c.Created).AddUpdatedCount(c.Updated + c.Merged).
		AddUnchangedCount(c.Unchanged).AddErrorCount(c.Errors).SetHeartbeatAt(time.Now().UTC()).Save(ctx)
	if err != nil {
		return fmt.Errorf("import: save progress: %w", err)
	}
	if n == 0 {
		return ErrLostClaim
	}
	return nil
}

func (c *Counts) add2(d Counts, records int) {
	c.Processed += records
	c.Created += d.Created
	c.Updated += d.Updated
	c.Unchanged += d.Unchanged
	c.Merged += d.Merged
	c.Errors += d.Errors
}

// remember carries a committed batch's contacts into the next batches.
func (e *engine) remember(b *batch) {
	for k, t := range b.byKey {
		if e.dry && t.id == 0 && t.virtual == 0 && t.rows > 0 {
			e.virtual[k] = -t.firstRow
		}
	}
	for _, t := range b.targets {
		if t.id != 0 && t.rows > 0 {
			e.seen[t.id] = true
			if _, ok := e.firstRow[t.id]; !ok && t.firstRow != 0 {
				e.firstRow[t.id] = t.firstRow
			}
		}
		if t.id != 0 && t.changed {
			e.changed[t.id] = true
		}
	}
}

func importRowAction(a string) importrow.Action { return importrow.Action(a) }

func joinReason(reason string, warnings []string) string {
	parts := slices.Clone(warnings)
	if reason != "" {
		parts = append([]string{reason}, parts...)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSuffix(capitalize(p), ".")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ". ") + "."
}

// rawCells keeps a rejected row's cells for the download, each cut to a
// sensible size so one huge cell does not bloat the database.
func rawCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = crm.Truncate(strings.ReplaceAll(c, "\x00", ""), 2000)
		if !utf8.ValidString(out[i]) {
			out[i] = strings.ToValidUTF8(out[i], "\uFFFD")
		}
	}
	return out
}

func toMap(in crm.ContactInput) map[string]any {
	b, _ := json.Marshal(in)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func fromMap(m map[string]any) (crm.ContactInput, error) {
	var in crm.ContactInput
	b, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(b, &in)
	}
	return in, err
}

// withTx is db.WithTx, named here for the reader.
var withTx = db.WithTx
