package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/user"
)

// exportCmd exports a segment or a query like the web form does: the same
// exclusions, the same log entry, attributed to --as (default: the first admin).
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		segName, query, format, purpose, out, as, columns, reason string
		queryGiven, include                                       bool
	)
	cfg, err := parse(ctx, "export", "export --segment NAME | --query Q --format csv|excel-de|xlsx|vcard|mailchimp|listmonk --purpose TEXT --out FILE", args, stderr, func(fs *flag.FlagSet, _ *Config) {
		fs.StringVar(&segName, "segment", "", tr(ctx, "name of a saved segment"))
		fs.Func("query", tr(ctx, `search text ("" means every contact you may export)`), func(s string) error { query, queryGiven = s, true; return nil })
		fs.StringVar(&format, "format", export.CSV, tr(ctx, "csv, excel-de, xlsx, vcard, mailchimp or listmonk"))
		fs.StringVar(&purpose, "purpose", "", tr(ctx, "what the export is for (required, logged)"))
		fs.StringVar(&out, "out", "", tr(ctx, "file to write (- for standard output)"))
		fs.StringVar(&as, "as", "", tr(ctx, "e-mail of the user the export is logged for (default: the first admin)"))
		fs.StringVar(&columns, "columns", "", tr(ctx, "comma-separated columns (default: {{.Columns}})", "Columns", strings.Join(export.DefaultColumns, ",")))
		fs.BoolVar(&include, "include-excluded", false, tr(ctx, "managers: also export people who opted out (needs --reason)"))
		fs.StringVar(&reason, "reason", "", tr(ctx, "why opted-out people are included"))
	})
	if err != nil {
		return err
	}
	if (segName == "") == !queryGiven || out == "" {
		return errors.New(tr(ctx, "Give either --segment or --query, and --out."))
	}
	if err := crm.CheckText("query", query); err != nil {
		return fmt.Errorf("--query: %s", crmText(ctx, crm.ErrorMessage(err)))
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckMigrated(ctx); err != nil {
		return err
	}
	u, err := actingUser(ctx, d.Client, as)
	if err != nil {
		return err
	}
	ctx = crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: "cli"})
	req := crm.ExportRequest{Selection: crm.Selection{Query: query}, Format: format, Purpose: purpose,
		IncludeExcluded: include, OverrideReason: reason}
	if columns != "" {
		req.Columns = strings.Split(columns, ",")
	}
	if segName != "" {
		seg, err := crm.SegmentByName(ctx, d.Client, segName)
		if err != nil {
			return err
		}
		req.Selection, req.SegmentID, req.SegmentName = crm.Selection{Query: seg.Query, Filter: seg.Filter}, seg.ID, seg.Name
	}
	sels := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil) // no index here: text matches names and e-mails
	log, res, err := crm.StartExport(ctx, sels, req, time.Now())
	if err != nil {
		return err
	}
	reportExclusions(ctx, stderr, log, res)
	if err := crm.CanDownload(ctx, log); err != nil {
		return err
	}
	w, closeOut, err := outFile(ctx, out)
	if err != nil {
		return err
	}
	st, err := crm.WriteExport(ctx, sels, export.Loader{DB: d.SQL, Dialect: d.Dialect}, w, log)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, trn(ctx, "Exported {{.Count}} contacts as {{.Format}} to {{.File}} (export #{{.ID}}).", st.Rows, "Format", format, "File", out, "ID", log.ID))
	return nil
}

// reportExclusions tells who was left out and why, as the export page does.
func reportExclusions(ctx context.Context, w io.Writer, log *ent.ExportLog, res *crm.Resolved) {
	reasons := make([]string, 0, len(res.Excluded))
	for k := range res.Excluded {
		reasons = append(reasons, k)
	}
	sort.Strings(reasons)
	for _, k := range reasons {
		fmt.Fprintln(w, tr(ctx, "Left out:"), num(ctx, res.Excluded[k]), tr(ctx, crm.ExclusionLabels[k]))
	}
	if log.Status == exportlog.StatusPendingApproval {
		fmt.Fprintln(w, tr(ctx, "This export is over the daily limit and waits for a manager's approval."))
	}
}

func outFile(ctx context.Context, path string) (io.Writer, func() error, error) {
	if path == "-" {
		return os.Stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", tr(ctx, "Cannot create {{.File}}", "File", path), err)
	}
	return f, f.Close, nil
}

// actingUser is the user a command-line action (import, export) is attributed
// to: --as, or else the first active admin.
func actingUser(ctx context.Context, client *ent.Client, email string) (*ent.User, error) {
	q := client.User.Query().Where(user.Active(true))
	if email != "" {
		q.Where(user.Email(crm.NormalizeEmail(email)))
	} else {
		q.Where(user.RoleEQ(user.RoleAdmin)).Order(user.ByID())
	}
	u, err := q.First(ctx)
	if ent.IsNotFound(err) {
		if email != "" {
			return nil, errors.New(tr(ctx, "No active user {{.Email}}: check --as.", "Email", email))
		}
		return nil, errors.New(tr(ctx, "No active admin to act as: create one with 'rapport user add' or pass --as EMAIL."))
	}
	return u, err
}
