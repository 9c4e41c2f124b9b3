package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/locale"
)

// mapFlags collects repeated --map col=field.
type mapFlags map[string]string

// mapFlag collects repeated --map col=field into m, with its error in ctx's language.
func mapFlag(ctx context.Context, m mapFlags) func(string) error {
	return func(v string) error { return m.set(ctx, v) }
}

func (m mapFlags) set(ctx context.Context, v string) error {
	col, field, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(col) == "" || !importing.ValidField(strings.TrimSpace(field)) {
		return errors.New(tr(ctx, "--map wants COLUMN=FIELD with a known field (or nothing, to ignore the column), not “{{.Value}}”.", "Value", v))
	}
	m[strings.TrimSpace(col)] = strings.TrimSpace(field)
	return nil
}

type importOpts struct {
	file, mapping, as, saveAs string
	maps                      mapFlags
	dry                       bool
	resume, revert, batch     int
	read                      importing.Options
}

const importSynopsis = `import FILE [--mapping NAME | --map COLUMN=FIELD …] [--dry-run] [--as EMAIL]
       rapport import --resume ID | --revert ID`

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := importOpts{maps: mapFlags{}}
	cfg, err := parseWithFile(ctx, "import", importSynopsis, args, stderr, &o.file, func(fs *flag.FlagSet) {
		fs.StringVar(&o.mapping, "mapping", "", tr(ctx, "use the saved column mapping NAME"))
		fs.Func("map", tr(ctx, "map a column to a field: --map Vorname=first_name (repeatable; --map Spalte= ignores a column)"), mapFlag(ctx, o.maps))
		fs.BoolVar(&o.dry, "dry-run", false, tr(ctx, "only report what the import would do, per row"))
		fs.StringVar(&o.as, "as", "", tr(ctx, "import as this user (audit trail, owner of new contacts); default: the first admin"))
		fs.StringVar(&o.saveAs, "save-mapping", "", tr(ctx, "save the mapping used under this name"))
		fs.StringVar(&o.read.Encoding, "encoding", "", tr(ctx, "CSV encoding (utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1, iso-8859-15); default: detected"))
		fs.StringVar(&o.read.Delimiter, "delimiter", "", tr(ctx, "CSV delimiter (, ; | or tab); default: detected"))
		fs.StringVar(&o.read.Sheet, "sheet", "", tr(ctx, "XLSX sheet; default: the first"))
		fs.IntVar(&o.resume, "resume", 0, tr(ctx, "resume the interrupted import ID"))
		fs.IntVar(&o.revert, "revert", 0, tr(ctx, "revert the import ID"))
		fs.IntVar(&o.batch, "batch", importing.DefaultBatchSize, tr(ctx, "rows per transaction"))
	})
	if err != nil {
		return err
	}
	if (o.file == "") == (o.resume == 0 && o.revert == 0) {
		return usageError(ctx, importSynopsis)
	}
	if err := o.checkRead(ctx); err != nil {
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
	u, err := actingUser(ctx, d.Client, o.as)
	if err != nil {
		return err
	}
	ctx = crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: "cli"})
	switch {
	case o.revert != 0:
		res, err := importing.Revert(ctx, d.Client, o.revert, o.batch)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, trn(ctx, "Reverted import #{{.ID}}: {{.Count}} contacts removed, {{.Restored}} restored.", res.Deleted,
			"ID", o.revert, "Restored", num(ctx, res.Restored)))
		if res.Kept > 0 {
			fmt.Fprintln(stdout, trn(ctx, "{{.Count}} contacts were left alone: someone else changed them after the import (see /imports/{{.ID}}; a manager can revert them there).",
				res.Kept, "ID", o.revert))
		}
		return nil
	case o.resume != 0:
		return runImport(ctx, d, o, o.resume, stdout, stderr)
	}
	j, err := prepareImport(ctx, d, u, o, stderr)
	if err != nil {
		return err
	}
	if o.dry {
		bar := newBar(stderr, tr(ctx, "Dry run"))
		c, err := (&importing.Runner{Client: d.Client, BatchSize: o.batch, Progress: bar.set}).DryRun(ctx, j.ID)
		_ = bar.Finish()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tr(ctx, "Dry run of import #{{.ID}} (nothing was saved):", "ID", j.ID), summary(ctx, c.Created, c.Updated, c.Merged, c.Unchanged, c.Errors))
		return printRejected(ctx, d.Client, j.ID, true, stdout)
	}
	return runImport(ctx, d, o, j.ID, stdout, stderr)
}

// prepareImport stores the file as a job and sets its mapping.
func prepareImport(ctx context.Context, d *db.DB, u *ent.User, o importOpts, stderr io.Writer) (*ent.ImportJob, error) {
	data, err := os.ReadFile(o.file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr(ctx, "Cannot read {{.File}}", "File", o.file), err)
	}
	j, err := importing.CreateJob(ctx, d.Client, importing.NewJob{UserID: &u.ID, Filename: filepath.Base(o.file), Data: data})
	if err != nil {
		return nil, err
	}
	if o.read != (importing.Options{}) {
		r := importing.OptionsOf(j)
		r.Encoding, r.Delimiter, r.Sheet = or(o.read.Encoding, r.Encoding), or(o.read.Delimiter, r.Delimiter), or(o.read.Sheet, r.Sheet)
		if j, err = importing.Settings(ctx, d.Client, j, r); err != nil {
			return nil, err
		}
	}
	header, _, err := importing.Preview(j, 0)
	if err != nil {
		return nil, err
	}
	m := j.Mapping
	if o.mapping != "" {
		t, err := importing.Template(ctx, d.Client, o.mapping)
		if err != nil {
			return nil, err
		}
		m = importing.ApplyTemplate(header, t.Mapping)
	}
	for col, f := range o.maps {
		if _, ok := m[col]; !ok {
			return nil, errors.New(tr(ctx, "--map: the file has no column “{{.Column}}” (it has: {{.Columns}}).", "Column", col, "Columns", strings.Join(header, ", ")))
		}
		m[col] = f
	}
	if j, err = importing.SetMapping(ctx, d.Client, j, m); err != nil {
		return nil, err
	}
	if o.saveAs != "" {
		if err := importing.SaveTemplate(ctx, d.Client, o.saveAs, &u.ID, j.Mapping); err != nil {
			return nil, err
		}
	}
	if j.Format == "csv" {
		fmt.Fprintln(stderr, tr(ctx, "Import #{{.ID}}: {{.File}}, {{.Format}} ({{.Encoding}}, delimiter “{{.Delimiter}}”)",
			"ID", j.ID, "File", j.Filename, "Format", j.Format, "Encoding", j.Encoding, "Delimiter", j.Delimiter))
	} else {
		fmt.Fprintln(stderr, tr(ctx, "Import #{{.ID}}: {{.File}}, {{.Format}}", "ID", j.ID, "File", j.Filename, "Format", j.Format))
	}
	for _, h := range header {
		if f := j.Mapping[h]; f != "" {
			fmt.Fprintf(stderr, "  %-28s → %s\n", h, tr(ctx, importing.FieldLabel(f)))
		} else {
			fmt.Fprintf(stderr, "  %-28s   (%s)\n", h, tr(ctx, "ignored"))
		}
	}
	return j, nil
}

// runImport runs (or resumes) job id here, with a progress bar on stderr.
func runImport(ctx context.Context, d *db.DB, o importOpts, id int, stdout, stderr io.Writer) error {
	worker := importing.WorkerName("cli")
	if _, err := importing.MarkStale(ctx, d.Client, time.Now()); err != nil {
		return err
	}
	ok, err := importing.Claim(ctx, d.Client, id, worker, true)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New(tr(ctx, "Import #{{.ID}} cannot run now: it is running elsewhere (its worker renews a lease of {{.Lease}}), done, or reverted.",
			"ID", id, "Lease", took(ctx, importing.Lease)))
	}
	bar := newBar(stderr, tr(ctx, "Importing"))
	r := &importing.Runner{Client: d.Client, Worker: worker, BatchSize: o.batch, Progress: bar.set}
	runErr := r.Run(ctx, id)
	_ = bar.Finish()
	j, err := d.Client.ImportJob.Get(context.WithoutCancel(ctx), id)
	if err != nil {
		return errors.Join(runErr, err)
	}
	fmt.Fprintln(stdout, tr(ctx, "Import #{{.ID}} ({{.Status}}): {{.Done}} of {{.Total}} rows processed.", "ID", id,
		"Status", locale.Label(ctx, string(j.Status)), "Done", num(ctx, j.ProcessedRows), "Total", num(ctx, j.TotalRows)),
		summary(ctx, j.CreatedCount, j.UpdatedCount, -1, j.UnchangedCount, j.ErrorCount))
	if runErr != nil {
		return runErr
	}
	return printRejected(ctx, d.Client, id, false, stdout)
}

// bar is a progress bar on stderr.
type bar struct{ *progressbar.ProgressBar }

func newBar(w io.Writer, what string) bar {
	return bar{progressbar.NewOptions(-1, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))}
}

func (b bar) set(done, total int) {
	if total > 0 && b.GetMax() != total {
		b.ChangeMax(total)
	}
	_ = b.Set(done)
}

// summary says what an import did or would do; merged < 0 leaves the merged
// duplicates out.
func summary(ctx context.Context, created, updated, merged, unchanged, errs int) string {
	if merged < 0 {
		return tr(ctx, "{{.Created}} created, {{.Updated}} updated, {{.Unchanged}} unchanged, {{.Rejected}} rejected.",
			"Created", num(ctx, created), "Updated", num(ctx, updated), "Unchanged", num(ctx, unchanged), "Rejected", num(ctx, errs))
	}
	return tr(ctx, "{{.Created}} created, {{.Updated}} updated, {{.Merged}} merged duplicates, {{.Unchanged}} unchanged, {{.Rejected}} rejected.",
		"Created", num(ctx, created), "Updated", num(ctx, updated), "Merged", num(ctx, merged), "Unchanged", num(ctx, unchanged), "Rejected", num(ctx, errs))
}

// printRejected lists the first rejected rows with their reasons.
func printRejected(ctx context.Context, client *ent.Client, id int, dry bool, w io.Writer) error {
	rows, err := client.ImportRow.Query().Where(importrow.ImportID(id), importrow.DryRun(dry), importrow.ActionEQ(importrow.ActionError)).
		Order(ent.Asc(importrow.FieldRowNo)).Limit(21).All(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot list the rejected rows"), err)
	}
	for i, r := range rows {
		if i == 20 {
			fmt.Fprintf(w, "  %s\n", tr(ctx, "… more: download all rejected rows on the import's page (/imports/{{.ID}}).", "ID", id))
			break
		}
		fmt.Fprintf(w, "  %s %s\n", tr(ctx, "row {{.Row}}:", "Row", r.RowNo), importing.ReasonText(ctx, r.Reason))
	}
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseWithFile is parse for a command that takes one file argument, which
// may stand before, between or after the flags.
func parseWithFile(ctx context.Context, name, synopsis string, args []string, stderr io.Writer, file *string, register func(*flag.FlagSet)) (Config, error) {
	cfg, err := defaultConfig(ctx)
	if err != nil {
		return cfg, err
	}
	fs := newFlagSet(ctx, name, synopsis, stderr)
	cfg.dbFlags(ctx, fs)
	register(fs)
	for {
		if err := fs.Parse(args); err != nil {
			return cfg, err
		}
		if fs.NArg() == 0 {
			break
		}
		if *file != "" {
			return cfg, unexpected(ctx, fs.Arg(0))
		}
		*file, args = fs.Arg(0), fs.Args()[1:]
	}
	return cfg, cfg.validate(ctx)
}

// startImportWorker runs queued imports in the background of serve; stop
// waits for it (a running import is marked interrupted as it stops).
func startImportWorker(ctx context.Context, d *db.DB, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	w := &importing.Worker{Runner: &importing.Runner{Client: d.Client, Worker: importing.WorkerName("serve")}, Log: log}
	wait := w.Start(ctx)
	return func() { cancel(); wait() }
}

// checkRead checks --encoding and --delimiter here, where the message can
// name the flag and its values (the web's speaks of the lists it offers),
// and takes "tab" for the tab character.
func (o *importOpts) checkRead(ctx context.Context) error {
	if o.read.Delimiter == "tab" {
		o.read.Delimiter = "\t"
	}
	if o.read.Encoding != "" && !importing.ValidEncoding(o.read.Encoding) {
		keys := make([]string, len(importing.Encodings))
		for i, e := range importing.Encodings {
			keys[i] = e.Key
		}
		return errors.New(tr(ctx, "--encoding: use one of {{.List}}, not “{{.Value}}”.", "List", strings.Join(keys, ", "), "Value", o.read.Encoding))
	}
	if o.read.Delimiter != "" && !importing.ValidDelimiter(o.read.Delimiter) {
		return errors.New(tr(ctx, "--delimiter: use , ; | or tab, not “{{.Value}}”.", "Value", o.read.Delimiter))
	}
	return nil
}
