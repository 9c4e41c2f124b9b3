package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
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
	"format":           {"--format", "Use one of " + strings.Join(formatKeys(), ", ") + "."},
	"columns":          {"--columns", "Use columns from: " + strings.Join(columnKeys(), ", ") + "."},
	"include_excluded": {flag: "--include-excluded"},
	"override_reason":  {flag: "--reason"},
	"template_name":    {"--save-mapping", "Name the mapping in 1 to 100 characters."},
}

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

// report writes err for a terminal, after "rapport: ". A validation error
// (a crm.Error with fields) becomes one "--flag: message" line per field
// instead of the web's "Please correct the marked fields."; anything before
// the crm error in the chain (its context) stays in front.
func report(w io.Writer, err error) {
	var e *crm.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		fmt.Fprintln(w, "rapport:", err)
		return
	}
	fields := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	fmt.Fprintf(w, "rapport: %sinvalid input:\n", strings.TrimSuffix(err.Error(), e.Error()))
	for _, f := range fields {
		name, msg := f, e.Fields[f]
		if c, ok := cliFields[f]; ok {
			name = c.flag
			if c.msg != "" {
				msg = c.msg
			}
		}
		fmt.Fprintf(w, "  %s: %s\n", name, msg)
	}
}
