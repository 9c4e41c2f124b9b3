package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// backdate sets what crm's writer stores as of now, or does not know, to the
// demo's history of contacts ids (recs): the contacts' creation, last update,
// last interaction, consent and touch-due date; the channels' engagement
// rate, last check and age; the jobs' start and end. One UPDATE … FROM per
// table: on PostgreSQL from unnest of one array per column, whatever the
// number of rows; on SQLite from a VALUES list per slice of rows that fits
// its parameter limit.
func (g *demoGen) backdate(ctx context.Context, tx *ent.Tx, ids []int, recs []demoContact) error {
	var cs, chans, jobs [][]any
	for k, c := range recs {
		cs = append(cs, []any{ids[k], c.created, c.updated, timeOrNil(c.lastAt), timeOrNil(c.consentAt), *demoDue(c)})
		for _, ch := range c.channels {
			var rate any
			if ch.rate != nil {
				rate = *ch.rate
			}
			chans = append(chans, []any{ids[k], ch.platform, crm.NormalizeHandle(ch.platform, ch.handle), rate, ch.checked, c.created})
		}
		for _, j := range c.jobs {
			jobs = append(jobs, []any{ids[k], g.outletIDs[j.outlet], j.role, j.start, timeOrNil(j.end)})
		}
	}
	steps := []struct {
		rows  [][]any
		types []string
		query string
	}{
		{cs, []string{"bigint", "timestamptz", "timestamptz", "timestamptz", "timestamptz", "timestamptz"},
			`UPDATE contacts SET created_at = v.column2, updated_at = v.column3, last_interaction_at = v.column4,
			consent_at = v.column5, touch_due_at = v.column6 FROM %s AS v WHERE contacts.id = v.column1`},
		{chans, []string{"bigint", "text", "text", "double precision", "timestamptz", "timestamptz"},
			`UPDATE social_profiles SET engagement_rate = v.column4, checked_at = v.column5, updated_at = v.column5,
			created_at = v.column6 FROM %s AS v
			WHERE social_profiles.contact_id = v.column1 AND social_profiles.platform = v.column2 AND social_profiles.handle = v.column3`},
		{jobs, []string{"bigint", "bigint", "text", "timestamptz", "timestamptz"},
			`UPDATE employments SET started_at = v.column4, ended_at = v.column5 FROM %s AS v
			WHERE employments.contact_id = v.column1 AND employments.outlet_id = v.column2 AND employments.role = v.column3`},
	}
	for _, s := range steps {
		if g.dialect == dialect.Postgres { // one array parameter per column, whatever the number of rows
			if len(s.rows) == 0 {
				continue
			}
			source, args := unnestOf(s.rows, s.types)
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(s.query, source), args...); err != nil {
				return fmt.Errorf("demo: backdate: %w", err)
			}
			continue
		}
		err := demoBulk(s.rows, len(s.types), func(rows [][]any) error {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(s.query, valuesOf(rows)), slices.Concat(rows...)...); err != nil {
				return fmt.Errorf("demo: backdate: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// valuesOf is the SQLite VALUES list of rows, columns column1, column2, …
func valuesOf(rows [][]any) string {
	row := "(?" + strings.Repeat(",?", len(rows[0])-1) + ")"
	return "(VALUES " + row + strings.Repeat(","+row, len(rows)-1) + ")"
}

// unnestOf is the PostgreSQL rows of the same columns, with their
// arguments: one array per column, each value as text cast back to its
// type ("" is NULL, except in a text column).
func unnestOf(rows [][]any, types []string) (string, []any) {
	cols, arrays, args := make([]string, len(types)), make([]string, len(types)), make([]any, len(types))
	for j, typ := range types {
		vals := make([]string, len(rows))
		for i, r := range rows {
			vals[i] = textOf(r[j])
		}
		args[j] = pq.Array(vals)
		arrays[j] = "$" + strconv.Itoa(j+1) + "::text[]"
		c := "u.c" + strconv.Itoa(j+1)
		if typ != "text" {
			c = "NULLIF(" + c + ", '')::" + typ
		}
		cols[j] = c + " AS column" + strconv.Itoa(j+1)
	}
	names := make([]string, len(types))
	for j := range names {
		names[j] = "c" + strconv.Itoa(j+1)
	}
	return "(SELECT " + strings.Join(cols, ", ") + " FROM unnest(" + strings.Join(arrays, ", ") + ") AS u(" +
		strings.Join(names, ", ") + "))", args
}

// textOf is v as PostgreSQL reads it back exactly; "" for nil.
func textOf(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case string:
		return v
	}
	panic(fmt.Sprintf("demo: backdate: no text for %T", v))
}

// timeOrNil is *t, or an untyped nil for a NULL.
func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}
