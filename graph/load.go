package graph

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"entgo.io/ent/dialect"
)

// Each calls fn with every contact of ids that exists, in the order of ids,
// with the parts n asks for, reading a window of ids per round of queries.
// The contact passed to fn and its slices are valid only during the call.
func (l Loader) Each(ctx context.Context, ids []int, n Need, fn func(*Contact) error) error {
	window := l.Window
	if window <= 0 {
		window = DefaultWindow
	}
	for w := range slices.Chunk(ids, window) {
		if err := l.load(ctx, l.idsArg(w), n, fn); err != nil {
			return err
		}
	}
	return nil
}

// All calls fn with every contact, in id order, like Each. Each table is
// read in one pass ordered by contact id (an index range scan), however
// many contacts there are. The queries may see slightly different moments
// of a database that changes meanwhile: rows of contacts that the contacts
// query did not see are skipped.
func (l Loader) All(ctx context.Context, n Need, fn func(*Contact) error) error {
	return l.load(ctx, nil, n, fn)
}

// idsArg writes ids as a PostgreSQL array literal ({1,2}) or a JSON array
// ([1,2]), whichever the dialect reads, so any number of ids is one bound
// value.
func (l Loader) idsArg(ids []int) *string {
	open, close := byte('['), byte(']')
	if l.Dialect == dialect.Postgres {
		open, close = '{', '}'
	}
	buf := make([]byte, 0, len(ids)*8+2)
	buf = append(buf, open)
	for i, id := range ids {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(id), 10)
	}
	s := string(append(buf, close))
	return &s
}

// query is the SELECT of cols from table, whose column fk holds the
// contact id, for the members (ids, or every contact when ids is nil):
// first the member's position, then cols, ordered by position and then by
// order. A list of ids is the FROM item members.
func (l Loader) query(ids *string, cols, table, fk, joins, order string) string {
	var b strings.Builder
	if ids == nil {
		b.WriteString("SELECT " + fk + ", " + cols + " FROM " + table + joins + " ORDER BY " + fk)
	} else {
		b.WriteString("SELECT m.ord, " + cols + " FROM " + l.members() + " JOIN " + table + " ON " + fk + " = m.id" + joins + " ORDER BY m.ord")
	}
	if order != "" {
		b.WriteString(", " + order)
	}
	return b.String()
}

// members is the FROM item of a list of ids (the one parameter): rows (id,
// ord), unnest WITH ORDINALITY on PostgreSQL, json_each on SQLite.
func (l Loader) members() string {
	if l.Dialect == dialect.Postgres {
		return "unnest($1::bigint[]) WITH ORDINALITY AS m(id, ord)"
	}
	return "(SELECT value AS id, key AS ord FROM json_each($1)) AS m"
}

// newestNotes is the query of the members' MaxNotes newest interactions,
// ordered by position (and unsorted within a member: newestFirst sorts
// them). The participations are numbered per member, newest first, from
// the (contact_id, occurred_at, interaction_id) index, and only the rows
// kept look up their interaction's text (at 100,000 contacts 322,000 of 1.1
// million), one at a time, so that the rows stream out in member order as
// the other tables' do. On PostgreSQL the LATERAL subquery (OFFSET 0 keeps
// it one) makes it so: a plain join became a hash join and a sort of every
// row kept, 2.3 s in all, which held back the first row, and so the whole
// rebuild, for 2.45 s; the lookups take 3.0–3.3 s in all from the first ms.
func (l Loader) newestNotes(ids *string) string {
	ord, from := "p.contact_id", "participations p"
	if ids != nil {
		ord, from = "m.ord", l.members()+" JOIN participations p ON p.contact_id = m.id"
	}
	text := " JOIN interactions i ON i.id = x.interaction_id"
	if l.Dialect == dialect.Postgres {
		text = " CROSS JOIN LATERAL (SELECT i.id, i.type, i.occurred_at, i.subject, i.body FROM interactions i" +
			" WHERE i.id = x.interaction_id OFFSET 0) i"
	}
	return "SELECT x.ord, i.id, i.type, i.occurred_at, i.subject, SUBSTR(i.body, 1, " + strconv.Itoa(NoteBody) + ")" +
		" FROM (SELECT " + ord + " AS ord, p.interaction_id, ROW_NUMBER() OVER (PARTITION BY " + ord +
		" ORDER BY p.occurred_at DESC, p.interaction_id DESC) AS rn FROM " + from + ") x" +
		text + " WHERE x.rn <= " + strconv.Itoa(MaxNotes) + " ORDER BY x.ord"
}

// pgSettings apply to the transaction of each query on PostgreSQL. The
// queries read the whole member list at once: hash joins and sorts by
// position run in memory (the default 4 MB spills them to disk), and the
// queries already run side by side, one per table, so parallel workers and
// JIT compilation would only add work.
const pgSettings = `SET LOCAL work_mem = '32MB'; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off`

// read runs q (with the ids argument, if any) on conn inside a read-only
// transaction, with pgSettings on PostgreSQL, and hands the rows to each.
func (l Loader) read(ctx context.Context, conn *sql.Conn, q string, ids *string, each func(*sql.Rows) error) error {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	if l.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, pgSettings); err != nil {
			return err
		}
	}
	var args []any
	if ids != nil {
		args = []any{*ids}
	}
	rs, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	if err := each(rs); err != nil {
		return err
	}
	return tx.Commit()
}

// connLocks has a lock per pool, held while a load takes its connections:
// two loads that each took part of what they need from a small pool would
// otherwise wait for each other for ever.
var connLocks sync.Map // *sql.DB → *sync.Mutex

// conns takes n connections of the pool at once.
func (l Loader) conns(ctx context.Context, n int) ([]*sql.Conn, error) {
	if max := l.DB.Stats().MaxOpenConnections; max > 0 && max < n {
		return nil, fmt.Errorf("graph: the pool allows %d connections, a load needs %d", max, n)
	}
	mu, _ := connLocks.LoadOrStore(l.DB, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	out := make([]*sql.Conn, 0, n)
	for range n {
		c, err := l.DB.Conn(ctx)
		if err != nil {
			for _, c := range out {
				c.Close()
			}
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
