package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/search"
)

// cliFields names, for each form field a command can get wrong, the flag that
// sets it, and replaces the messages that speak of a form ("choose from the
// list") with what to type instead.
var cliFields = map[string]struct{ flag, msg string }{
	"email":            {flag: "--email"},
	"name":             {flag: "--name"},
	"role":             {flag: "--role"},
	"password":         {flag: "--password"},
	"purpose":          {flag: "--purpose"},
	"format":           {"--format", "Use one of {{.List}}."},
	"columns":          {"--columns", "Use columns from: {{.List}}."},
	"include_excluded": {flag: "--include-excluded"},
	"override_reason":  {flag: "--reason"},
	"template_name":    {"--save-mapping", "Name the mapping in 1 to 100 characters."},
}

// cliLists are the values the messages of cliFields list.
var cliLists = map[string]func() []string{"format": formatKeys, "columns": columnKeys}

func formatKeys() []string {
	keys := make([]string, len(export.Formats))
	for i, f := range export.Formats {
		keys[i] = f.Key
	}
	return keys
}

func columnKeys() []string {
	keys := make([]string, len(export.Columns))
	for i, c := range export.Columns {
		keys[i] = c.Key
	}
	return keys
}

// usageError says how a command is called, after "Usage: rapport ".
func usageError(ctx context.Context, synopsis string) error {
	return errors.New(tr(ctx, "Usage: rapport {{.Synopsis}}", "Synopsis", synopsis))
}

// report writes err for a terminal in ctx's language, after "rapport: ". A
// validation error (a crm.Error with fields) becomes one "--flag: message"
// line per field instead of the web's "Please correct the marked fields.";
// anything before the crm error in the chain (its context) stays in front.
// The command line's own messages are translated where they are made; a
// crm message is translated here, as the web's error funnel does.
func report(ctx context.Context, w io.Writer, err error) {
	var e *crm.Error
	switch {
	case errors.Is(err, db.ErrPendingMigrations):
		fmt.Fprintln(w, "rapport:", tr(ctx, "The database has pending migrations: run 'rapport migrate' (or start the server with --migrate)."))
		return
	case errors.Is(err, search.ErrLocked):
		fmt.Fprintln(w, "rapport:", tr(ctx, "The search index is locked: another Rapport server runs with the same data directory. Give each server its own RAPPORT_DATA_DIR."))
		return
	case !errors.As(err, &e):
		fmt.Fprintln(w, "rapport:", err)
		return
	case len(e.Fields) == 0:
		fmt.Fprintf(w, "rapport: %s%s\n", strings.TrimSuffix(err.Error(), e.Error()), crmText(ctx, e.Message, e.Args...))
		return
	}
	fields := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	fmt.Fprintf(w, "rapport: %s%s\n", strings.TrimSuffix(err.Error(), e.Error()), tr(ctx, "invalid input:"))
	for _, f := range fields {
		name, msg := f, crmText(ctx, e.Fields[f])
		if c, ok := cliFields[f]; ok {
			name = c.flag
			if c.msg != "" {
				var kv []any
				if list := cliLists[f]; list != nil {
					kv = []any{"List", strings.Join(list(), ", ")}
				}
				msg = tr(ctx, c.msg, kv...)
			}
		}
		fmt.Fprintf(w, "  %s: %s\n", name, msg)
	}
}

// crmText is a message of package crm in ctx's language: the catalogue's
// when it has the message (crm's messages are their English IDs, as the web
// shows them), else in English with its values filled in.
func crmText(ctx context.Context, msg string, kv ...any) string {
	if l := locale.From(ctx); l.Has(msg) {
		return l.T(msg, kv...)
	}
	return locale.Get(locale.English).T(msg, kv...)
}
