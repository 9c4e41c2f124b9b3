package pages

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/components"
)

// ImportJobView is an import as pages show it.
type ImportJobView struct {
	ID                                                    int
	Filename, Format, Encoding, Delimiter, Sheet          string
	Status, Message, Owner                                string
	Total, Processed, Created, Updated, Unchanged, Errors int
	CreatedAt                                             time.Time
}

// Percent is how far the import has got, 0–100.
func (j ImportJobView) Percent() int {
	if j.Total <= 0 {
		return 0
	}
	return min(100, j.Processed*100/j.Total)
}

// Running reports whether a dry run, the import or its revert is queued or running.
func (j ImportJobView) Running() bool {
	return j.Status == "running" || j.Status == "checking" || j.Status == "reverting"
}

// Task names what is running, for the progress bar's heading.
func (j ImportJobView) Task() string {
	switch j.Status {
	case "checking":
		return "Dry run"
	case "reverting":
		return "Reverting"
	}
	return "Importing"
}

// ChangedContact is a contact a revert leaves alone because someone else
// changed it after the import, and what they did.
type ChangedContact struct {
	ID           int
	Name, Reason string
	Action, By   string    // what someone else did (Reason says it in English)
	At           time.Time // and when; zero when unknown
}

// changedReason says why a revert leaves a contact alone, in the locale's
// words: "bearbeitet von Anna Berg am 4. Dez. 2026, 14:05 Uhr".
func changedReason(ctx context.Context, c ChangedContact) string {
	if c.At.IsZero() {
		return tr(ctx, c.Reason)
	}
	at := components.DateTime(ctx, c.At)
	switch c.Action {
	case "interaction":
		return tr(ctx, "interaction logged by {{.By}} on {{.At}}", "By", c.By, "At", at)
	case "create":
		return tr(ctx, "created by {{.By}} on {{.At}}", "By", c.By, "At", at)
	case "update":
		return tr(ctx, "edited by {{.By}} on {{.At}}", "By", c.By, "At", at)
	}
	return c.Reason
}

// ImportRevertProps are the values of the page that asks before a revert.
type ImportRevertProps struct {
	Meta                                           views.PageMeta
	Job                                            ImportJobView
	Delete, Restore, ChangedDelete, ChangedRestore int
	Changed                                        []ChangedContact
	Deleted, Restored                              []ChangedContact // the first of Delete and Restore, by name
	CanForce, Revertable                           bool
}

// ImportsProps are the import list's values.
type ImportsProps struct {
	Meta views.PageMeta
	Jobs []ImportJobView
}

// ImportNewProps are the upload form's values.
type ImportNewProps struct {
	Meta  views.PageMeta
	MaxMB int64
	Error string
}

// MappingRow is one column of the file with the field it maps to.
type MappingRow struct {
	Index                 int
	Column, Field, Sample string
}

// OutcomeRow is what happened (or would happen) to one row.
type OutcomeRow struct {
	Row            int
	Action, Reason string
	ContactID      int
	Name           string // the person's name, from the contact or the file's row ("" if unknown)
}

// ImportJobProps are the values of an import's page.
type ImportJobProps struct {
	Meta   views.PageMeta
	Job    ImportJobView
	Error  string
	Errors map[string]string
	// TemplateName is the name the mapping was to be saved as (kept when refused).
	TemplateName string
	// Preview and mapping (before the run).
	Editable                              bool
	Header                                []string
	Preview                               [][]string
	Encodings, Delimiters, Sheets, Fields []components.Option
	Templates                             []components.Option
	Mapping                               []MappingRow
	Columns                               ColumnReport // what the mapping keeps and leaves out (preview and result)
	// Outcomes of the dry run (Dry) or of the run.
	Dry                          bool
	Counts                       map[string]int
	Filter                       string
	Outcomes                     []OutcomeRow
	CanRun, CanResume, CanRevert bool
	// After a revert: the contacts it left alone (listed up to a limit) and how many.
	Kept      []ChangedContact
	KeptCount int
}

// outcomeActions are the filters of the outcome table, in order.
var outcomeActions = []string{"create", "update", "merged", "unchanged", "error"}

// outcomeLimit is how many outcome rows the page lists.
const outcomeLimit = 500

// OutcomeLimit is how many outcome rows the import page lists.
const OutcomeLimit = outcomeLimit

func importActionLabel(ctx context.Context, a string) string {
	switch a {
	case "create":
		return tr(ctx, "New")
	case "update":
		return tr(ctx, "Updated")
	case "merged":
		return tr(ctx, "Merged duplicate")
	case "unchanged":
		return tr(ctx, "Unchanged")
	case "error":
		return tr(ctx, "Rejected")
	}
	return a
}

func importStatusLabel(ctx context.Context, s string) string {
	switch s {
	case "uploaded", "mapped":
		return tr(ctx, "not started")
	case "dry_run":
		return tr(ctx, "dry run done")
	case "running":
		return tr(ctx, "running")
	case "checking":
		return tr(ctx, "dry run running")
	case "done", "failed", "interrupted", "reverting", "reverted":
		return tr(ctx, s)
	}
	return s
}

// ColumnReport is how much of the file the mapping keeps: "12 of 14
// columns that hold data are mapped", each unmapped column with samples and
// a suggested field, and what a recognised export leaves out on purpose.
type ColumnReport struct {
	Layout           string
	WithData, Mapped int
	Unmapped         []UnmappedColumn
	Skipped          []string
}

// UnmappedColumn is a column that holds data and is ignored.
type UnmappedColumn struct {
	Column, Samples, Suggest string
}

// importFormat is the name of an import file's format (an import job's
// format code): CSV, the Excel workbook, vCard.
func importFormat(ctx context.Context, format string) string {
	switch format {
	case "csv":
		return "CSV"
	case "xlsx":
		return tr(ctx, "Excel workbook (XLSX)")
	case "vcard":
		return "vCard"
	}
	return format
}
