package crm

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
)

// A ForeignKey is a column of Table that refers to the rows of Parent:
// deleting a parent row deletes the rows that refer to it (ON DELETE
// CASCADE), or, with SetNull, sets the column to NULL.
type ForeignKey struct {
	Table, Column, Parent string
	SetNull               bool
}

// The roots of a contact's deletion: the contacts, and the interactions that
// only they took part in (their ids are looked up first).
const (
	rootContacts     = "contacts"
	rootInteractions = "interactions"
)

// contactKeys are all foreign keys that refer to a contact, to an interaction
// that only deleted contacts took part in, or (recursively) to a row that
// their deletion removes. ContactWriter.Delete deletes (or sets to NULL)
// along each of them itself, children before parents, so that on PostgreSQL
// it may run without the per-row foreign-key triggers. TestContactKeys
// checks this list against the database's catalogue on both dialects: a new
// table that refers to one of these belongs here.
var contactKeys = []ForeignKey{
	{Table: "campaign_targets", Column: "contact_id", Parent: rootContacts},
	{Table: "consent_events", Column: "contact_id", Parent: rootContacts},
	{Table: "contact_emails", Column: "contact_id", Parent: rootContacts},
	{Table: "contact_tags", Column: "contact_id", Parent: rootContacts},
	{Table: "contact_topics", Column: "contact_id", Parent: rootContacts},
	{Table: "coverage_authors", Column: "contact_id", Parent: rootContacts},
	{Table: "employments", Column: "contact_id", Parent: rootContacts},
	{Table: "feed_posts", Column: "contact_id", Parent: rootContacts},
	{Table: "feeds", Column: "contact_id", Parent: rootContacts},
	{Table: "nominations", Column: "contact_id", Parent: rootContacts},
	{Table: "participations", Column: "contact_id", Parent: rootContacts},
	{Table: "retention_reviews", Column: "contact_id", Parent: rootContacts},
	{Table: "social_profiles", Column: "contact_id", Parent: rootContacts},
	{Table: "tasks", Column: "contact_id", Parent: rootContacts},
	{Table: "participations", Column: "interaction_id", Parent: rootInteractions},
	{Table: "nomination_evidence", Column: "interaction_id", Parent: rootInteractions},
	{Table: "feeds", Column: "social_profile_id", Parent: "social_profiles"},
	{Table: "follower_snapshots", Column: "social_profile_id", Parent: "social_profiles"},
	{Table: "feed_posts", Column: "feed_id", Parent: "feeds"},
	{Table: "keyword_alerts", Column: "feed_post_id", Parent: "feed_posts"},
	{Table: "keyword_alerts", Column: "task_id", Parent: "tasks", SetNull: true},
	{Table: "nomination_decisions", Column: "nomination_id", Parent: "nominations"},
	{Table: "nomination_evidence", Column: "nomination_id", Parent: "nominations"},
}

// ContactKeys returns the foreign keys the contact delete path follows itself.
func ContactKeys() []ForeignKey { return slices.Clone(contactKeys) }

// deletePlan is the order in which Delete follows contactKeys.
type deletePlan struct {
	// ways are, per deleted table, the cascading keys its rows are found by.
	ways map[string][]ForeignKey
	// steps run deepest parent first: a step runs while its parent's rows
	// and theirs up to the roots are all still there.
	steps []ForeignKey
	// locks are the deleted tables that others refer to (roots excluded),
	// parents before children: once a parent's rows are locked no
	// transaction can add a row that refers to them.
	locks []string
	// replica turns the foreign keys' triggers off around the deletes.
	replica bool
}

var thePlan = sync.OnceValue(func() deletePlan { return planDelete(contactKeys) })

func planDelete(keys []ForeignKey) deletePlan {
	depth := map[string]int{rootContacts: 0, rootInteractions: 0}
	for range len(keys) + 1 { // longest path from a root; a cycle would not settle
		settled := true
		for _, k := range keys {
			if d, ok := depth[k.Parent]; ok && !k.SetNull && depth[k.Table] < d+1 {
				depth[k.Table], settled = d+1, false
			}
		}
		if settled {
			break
		}
	}
	p := deletePlan{ways: map[string][]ForeignKey{}}
	parents := map[string]bool{}
	for _, k := range keys {
		if _, ok := depth[k.Parent]; !ok {
			panic(fmt.Sprintf("crm: contact key %s.%s refers to %s, which a contact's deletion does not remove", k.Table, k.Column, k.Parent))
		}
		if !k.SetNull {
			p.ways[k.Table] = append(p.ways[k.Table], k)
		}
		if k.Parent != rootContacts && k.Parent != rootInteractions && !parents[k.Parent] {
			parents[k.Parent] = true
			p.locks = append(p.locks, k.Parent)
		}
	}
	p.steps = slices.Clone(keys)
	slices.SortStableFunc(p.steps, func(a, b ForeignKey) int { return cmp.Compare(depth[b.Parent], depth[a.Parent]) })
	slices.SortStableFunc(p.locks, func(a, b string) int { return cmp.Compare(depth[a], depth[b]) })
	return p
}

// deleteRun writes the statements of one round of Delete.
type deleteRun struct {
	dia                    string
	contacts, interactions []int
}

func (r deleteRun) stmt(f func(b *entsql.Builder)) (string, []any) {
	b := &entsql.Builder{}
	b.SetDialect(r.dia)
	f(b)
	return b.Query()
}

// empty reports whether no row of table goes in this round.
func (r deleteRun) empty(table string) bool {
	switch table {
	case rootContacts:
		return len(r.contacts) == 0
	case rootInteractions:
		return len(r.interactions) == 0
	}
	for _, k := range thePlan().ways[table] {
		if !r.empty(k.Parent) {
			return false
		}
	}
	return true
}

// match writes "col IN <the ids of table's rows that go>".
func (r deleteRun) match(b *entsql.Builder, col, table string) {
	switch table {
	case rootContacts:
		inInts(b, r.dia, col, r.contacts)
	case rootInteractions:
		inInts(b, r.dia, col, r.interactions)
	default:
		b.WriteString(col + " IN (")
		r.rows(b, table)
		b.WriteString(")")
	}
}

// rows writes a SELECT of the ids of table's rows that go: one branch per
// way to them, each an index look-up (a UNION, not an OR, which PostgreSQL
// would answer with a sequential scan).
func (r deleteRun) rows(b *entsql.Builder, table string) {
	n := 0
	for _, k := range thePlan().ways[table] {
		if r.empty(k.Parent) {
			continue
		}
		if n++; n > 1 {
			b.WriteString(" UNION ")
		}
		b.WriteString("SELECT id FROM " + table + " WHERE ")
		r.match(b, k.Column, k.Parent)
	}
}

// step is the statement that follows key k: it deletes the rows of k.Table
// that refer to a row that goes, or sets their k.Column to NULL.
func (r deleteRun) step(k ForeignKey) (string, []any) {
	return r.stmt(func(b *entsql.Builder) {
		if k.SetNull {
			b.WriteString("UPDATE " + k.Table + " SET " + k.Column + " = NULL WHERE ")
		} else {
			b.WriteString("DELETE FROM " + k.Table + " WHERE ")
		}
		r.match(b, k.Column, k.Parent)
	})
}

// lock is the statement that locks the rows of table that go (PostgreSQL).
func (r deleteRun) lock(table string) (string, []any) {
	return r.stmt(func(b *entsql.Builder) {
		b.WriteString("SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE id IN (")
		r.rows(b, table)
		b.WriteString(") FOR UPDATE) AS locked")
	})
}

// replicaAllowed says, per client (one per process), whether its
// PostgreSQL role may set session_replication_role.
var replicaAllowed sync.Map // *ent.Client → bool

// DeleteWithTriggers makes Delete on client run with PostgreSQL's per-row
// foreign-key triggers, as it does for a role that may not set
// session_replication_role: for the benchmark and tests that compare both.
func DeleteWithTriggers(client *ent.Client) { replicaAllowed.Store(client, false) }

// triggerFree reports whether Delete may turn off the triggers in tx: on
// PostgreSQL, for a superuser, or on PostgreSQL 15 and later for a role
// granted SET ON PARAMETER session_replication_role. Decided once per client.
func (w *ContactWriter) triggerFree(ctx context.Context, tx *ent.Tx) (bool, error) {
	if w.dialect != dialect.Postgres {
		return false, nil
	}
	if v, ok := replicaAllowed.Load(w.client); ok {
		return v.(bool), nil
	}
	var super, pg15 bool
	if err := scanOne(ctx, tx, "SELECT current_setting('is_superuser') = 'on', current_setting('server_version_num')::int >= 150000", &super, &pg15); err != nil {
		return false, fmt.Errorf("may the role set session_replication_role: %w", err)
	}
	ok := super
	if !ok && pg15 {
		if err := scanOne(ctx, tx, "SELECT has_parameter_privilege('session_replication_role', 'SET')", &ok); err != nil {
			return false, fmt.Errorf("may the role set session_replication_role: %w", err)
		}
	}
	replicaAllowed.Store(w.client, ok)
	return ok, nil
}

// scanOne reads the one row of q into dest.
func scanOne(ctx context.Context, tx *ent.Tx, q string, dest ...any) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		return fmt.Errorf("no row: %w", rows.Err())
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// queryIDs reads the ids q selects.
func queryIDs(ctx context.Context, tx *ent.Tx, q string, args []any) ([]int, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
