package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// backdate sets what crm's writer stores as of now, or does not know, to the
// demo's history of contacts ids (recs): the contacts' creation, last update,
// last interaction, consent and touch-due date; the channels' engagement
// rate, last check and age; the jobs' start and end. One UPDATE … FROM
// (VALUES …) per table and slice of rows, the same statement on both
// databases (PostgreSQL with typed parameters).
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
			consent_at = v.column5, touch_due_at = v.column6 FROM (VALUES %s) AS v WHERE contacts.id = v.column1`},
		{chans, []string{"bigint", "text", "text", "double precision", "timestamptz", "timestamptz"},
			`UPDATE social_profiles SET engagement_rate = v.column4, checked_at = v.column5, updated_at = v.column5,
			created_at = v.column6 FROM (VALUES %s) AS v
			WHERE social_profiles.contact_id = v.column1 AND social_profiles.platform = v.column2 AND social_profiles.handle = v.column3`},
		{jobs, []string{"bigint", "bigint", "text", "timestamptz", "timestamptz"},
			`UPDATE employments SET started_at = v.column4, ended_at = v.column5 FROM (VALUES %s) AS v
			WHERE employments.contact_id = v.column1 AND employments.outlet_id = v.column2 AND employments.role = v.column3`},
	}
	for _, s := range steps {
		err := demoBulk(s.rows, len(s.types), func(rows [][]any) error {
			query, args := g.valuesList(rows, s.types)
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(s.query, query), args...); err != nil {
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

// valuesList is the VALUES list of rows with its arguments: on PostgreSQL
// numbered and typed placeholders, on SQLite plain ones (a cast there would
// change how a time is stored).
func (g *demoGen) valuesList(rows [][]any, types []string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(rows)*len(types))
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			args = append(args, v)
			if g.dialect == dialect.Postgres {
				b.WriteString("CAST($" + strconv.Itoa(len(args)) + " AS " + types[j] + ")")
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String(), args
}

// timeOrNil is *t, or an untyped nil for a NULL.
func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}
