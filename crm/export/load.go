// Package export writes contacts in the formats campaigns need (CSV, Excel
// for German locales, XLSX, vCard 4.0, Mailchimp and listmonk CSV),
// streaming: one ordered query per table reads the whole member list, the
// rows are merged in Go by their position in the list and written as they
// come, so memory does not grow with the number of contacts.
package export

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"golang.org/x/sync/errgroup"
)

// Row is one contact with everything a column can show.
type Row struct {
	ID                               int
	Kind, FirstName, LastName, Title string
	City, Region, Country            string
	Stage, LawfulBasis, ConsentState string
	Owner                            string
	Health                           int
	Reach                            int64
	DoNotContact                     bool
	ConsentAt, LastInteractionAt     *time.Time
	Emails, Phones, Topics, Tags     []string
	Jobs                             []Job
	Channels                         []Channel
}

// Job is a role at an outlet.
type Job struct{ Outlet, Role string }

// Outlets lists the jobs as "Outlet (Role)", the export's outlet cell.
func (r *Row) Outlets() []string {
	out := make([]string, len(r.Jobs))
	for i, j := range r.Jobs {
		out[i] = j.Outlet
		if j.Role != "" {
			out[i] += " (" + j.Role + ")"
		}
	}
	return out
}

// Channel is a social channel of a row.
type Channel struct {
	Platform, Handle string
	Followers        int64
}

// need says which parts of a row a format or a column reads: contact
// fields and satellite tables. The loader reads only those, so a narrow
// export moves narrow rows.
type need uint32

const (
	needKind need = 1 << iota
	needFirstName
	needLastName
	needTitle
	needCity
	needRegion
	needCountry
	needStage
	needLawfulBasis
	needConsentState
	needOwner
	needHealth
	needReach
	needDoNotContact
	needConsentAt
	needLastInteractionAt
	needPhones
	needEmails
	needJobs
	needChannels
	needTopics
	needTags
	needAll = needTags<<1 - 1
)

// contactFields are the contact columns a row can read besides its id, in
// the order they are selected, with where each is scanned to.
var contactFields = []struct {
	need need
	sql  string
	dest func(r *Row) any
}{
	{needKind, "c.kind", func(r *Row) any { return &r.Kind }},
	{needFirstName, "c.first_name", func(r *Row) any { return &r.FirstName }},
	{needLastName, "c.last_name", func(r *Row) any { return &r.LastName }},
	{needTitle, "c.title", func(r *Row) any { return &r.Title }},
	{needCity, "c.city", func(r *Row) any { return &r.City }},
	{needRegion, "c.region", func(r *Row) any { return &r.Region }},
	{needCountry, "c.country", func(r *Row) any { return &r.Country }},
	{needStage, "c.stage", func(r *Row) any { return &r.Stage }},
	{needLawfulBasis, "c.lawful_basis", func(r *Row) any { return &r.LawfulBasis }},
	{needConsentState, "c.consent_state", func(r *Row) any { return &r.ConsentState }},
	{needOwner, "COALESCE(u.name, '')", func(r *Row) any { return &r.Owner }},
	{needHealth, "c.health", func(r *Row) any { return intDest{&r.Health} }},
	{needReach, "c.reach", func(r *Row) any { return int64Dest{&r.Reach} }},
	{needDoNotContact, "c.do_not_contact", func(r *Row) any { return &r.DoNotContact }},
	{needConsentAt, "c.consent_at", func(r *Row) any { return timeDest{&r.ConsentAt} }},
	{needLastInteractionAt, "c.last_interaction_at", func(r *Row) any { return timeDest{&r.LastInteractionAt} }},
	{needPhones, "c.phones", func(r *Row) any { return phonesDest{&r.Phones} }},
}

// intDest and int64Dest scan integer columns without database/sql's
// generic conversion, which formats and parses an int64 to put it in an int.
type (
	intDest   struct{ p *int }
	int64Dest struct{ p *int64 }
)

func (d intDest) Scan(v any) error {
	var n int64
	err := int64Dest{&n}.Scan(v)
	*d.p = int(n)
	return err
}

func (d int64Dest) Scan(v any) error {
	if n, ok := v.(int64); ok {
		*d.p = n
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*d.p = n.Int64
	return nil
}

// timeDest scans a nullable timestamp into a *time.Time.
type timeDest struct{ p **time.Time }

func (d timeDest) Scan(v any) error {
	var t sql.NullTime
	if err := t.Scan(v); err != nil {
		return err
	}
	*d.p = nil
	if t.Valid {
		*d.p = &t.Time
	}
	return nil
}

// phonesDest scans the contacts.phones JSON column into its numbers.
type phonesDest struct{ p *[]string }

func (d phonesDest) Scan(v any) error {
	switch js := v.(type) {
	case []byte:
		*d.p = phoneNumbers(js)
	case string:
		*d.p = phoneNumbers([]byte(js))
	default:
		*d.p = nil
	}
	return nil
}

// batchSize is how many rows a query hands to the writer at a time; each
// query keeps at most batchesInFlight batches ahead of the writer, which
// bounds the memory of an export whatever its size.
const (
	batchSize       = 512
	batchesInFlight = 4
)

// Loader reads the rows of a list of contact ids from the database.
type Loader struct {
	DB      *sql.DB
	Dialect string
	Window  int // members read per round of queries; 0 means DefaultWindow
}

// members is the FROM item that turns the ids argument into rows (id, ord):
// each id with its position in the list. On PostgreSQL it is one array
// parameter, on SQLite a JSON array, so any number of ids is one bound value.
func (l Loader) members() string {
	if l.Dialect == dialect.Postgres {
		return "unnest($1::bigint[]) WITH ORDINALITY AS m(id, ord)"
	}
	return "(SELECT value AS id, key AS ord FROM json_each($1)) AS m"
}

// idsArg writes ids as a PostgreSQL array literal ({1,2}) or a JSON array
// ([1,2]), whichever the dialect reads.
func (l Loader) idsArg(ids []int) string {
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
	return string(append(buf, close))
}

// pgSettings apply to the transaction of each query on PostgreSQL. The
// queries read the whole member list at once: hash joins and sorts by
// position run in memory (the default 4 MB spills them to disk), and the
// queries already run side by side, one per table, so parallel workers and
// JIT compilation would only add work.
const pgSettings = `SET LOCAL work_mem = '32MB'; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off`

// query runs q with the ids argument and hands the rows to each, inside a
// read-only transaction with pgSettings on PostgreSQL.
func (l Loader) query(ctx context.Context, q, arg string, each func(*sql.Rows) error) error {
	tx, err := l.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read-only; nothing to undo
	if l.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, pgSettings); err != nil {
			return err
		}
	}
	rs, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return err
	}
	defer rs.Close()
	if err := each(rs); err != nil {
		return err
	}
	if err := rs.Err(); err != nil {
		return err
	}
	return tx.Commit()
}

// item is a value of a table with the position of its contact in the list.
type item[T any] struct {
	ord int
	v   T
}

// stream is one query's rows, ordered by position, passed in batches from
// the goroutine reading them to the one writing the export.
type stream[T any] struct {
	batches chan []item[T]
	free    chan []item[T]
	cur     []item[T]
	next    int
	scratch []T
}

func newStream[T any]() *stream[T] {
	return &stream[T]{batches: make(chan []item[T], batchesInFlight), free: make(chan []item[T], batchesInFlight+1)}
}

// produce runs q and sends its rows in batches until they or ctx end.
func produce[T any](ctx context.Context, l Loader, s *stream[T], q, arg string, scan func(rs *sql.Rows, ord *int, v *T) error) error {
	return l.query(ctx, q, arg, func(rs *sql.Rows) error {
		b := make([]item[T], 0, batchSize)
		send := func() error {
			select {
			case s.batches <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case b = <-s.free:
				b = b[:0]
			default:
				b = make([]item[T], 0, batchSize)
			}
			return nil
		}
		for rs.Next() {
			b = append(b, item[T]{})
			it := &b[len(b)-1]
			if err := scan(rs, &it.ord, &it.v); err != nil {
				return err
			}
			if len(b) == batchSize {
				if err := send(); err != nil {
					return err
				}
			}
		}
		if len(b) > 0 {
			return send()
		}
		return nil
	})
}

// head returns the next item without consuming it; false at the end.
func (s *stream[T]) head() (*item[T], bool) {
	for s.next >= len(s.cur) {
		if s.cur != nil {
			clear(s.cur) // drop the strings the batch holds
			select {
			case s.free <- s.cur:
			default:
			}
			s.cur = nil
		}
		b, ok := <-s.batches
		if !ok {
			return nil, false
		}
		s.cur, s.next = b, 0
	}
	return &s.cur[s.next], true
}

// take returns the values at position ord, skipping those of earlier
// positions (contacts deleted meanwhile). The slice is reused by the next
// call.
func (s *stream[T]) take(ord int) []T {
	s.scratch = s.scratch[:0]
	for {
		it, ok := s.head()
		if !ok || it.ord > ord {
			break
		}
		if it.ord == ord {
			s.scratch = append(s.scratch, it.v)
		}
		s.next++
	}
	if len(s.scratch) == 0 {
		return nil
	}
	return s.scratch[:len(s.scratch):len(s.scratch)]
}

// ref is a row of a table that links a contact to a named thing: a topic,
// a tag, or an outlet with the employment's id and role.
type ref struct {
	id, seq int
	role    string
}

// names are the names of a small table (topics, tags, outlets) with each
// name's rank in the database's order. An export reads them once, and its
// queries send ids: no join and no sort by name for every row.
type names map[int]named

type named struct {
	name string
	rank int
}

// loadNames reads the names of table, ranking equal names equally.
func (l Loader) loadNames(ctx context.Context, table string) (names, error) {
	rs, err := l.DB.QueryContext(ctx, `SELECT id, name FROM `+table+` ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	ns := names{}
	rank, prev := 0, ""
	for rs.Next() {
		var id int
		var name string
		if err := rs.Scan(intDest{&id}, &name); err != nil {
			return nil, err
		}
		if len(ns) == 0 || name != prev {
			rank++
		}
		ns[id], prev = named{name, rank}, name
	}
	return ns, rs.Err()
}

// produceNamed loads the names of table into ns, then runs q, whose rows
// are (ord, id, seq, role), like produce.
func produceNamed(ctx context.Context, l Loader, s *stream[ref], ns *names, table, q, arg string) error {
	var err error
	if *ns, err = l.loadNames(ctx, table); err != nil {
		return err
	}
	return produce(ctx, l, s, q, arg, func(rs *sql.Rows, ord *int, v *ref) error {
		return rs.Scan(intDest{ord}, intDest{&v.id}, intDest{&v.seq}, &v.role)
	})
}

// sort orders refs by name in the database's collation, then by seq (an
// employment's id): the order an ORDER BY on the joined name gives. Ids
// added after the names were read sort last; strings and jobs leave them
// out.
func (p *names) sort(refs []ref) []ref {
	if len(refs) < 2 {
		return refs
	}
	ns := *p
	rank := func(id int) int {
		if n, ok := ns[id]; ok {
			return n.rank
		}
		return int(^uint(0) >> 1)
	}
	slices.SortFunc(refs, func(a, b ref) int {
		if c := cmp.Compare(rank(a.id), rank(b.id)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return refs
}

// strings returns the names of refs, in buf; nil for none.
func (p *names) strings(refs []ref, buf []string) ([]string, []string) {
	if len(refs) == 0 {
		return nil, buf
	}
	ns, buf := *p, buf[:0]
	for _, r := range refs {
		if n, ok := ns[r.id]; ok {
			buf = append(buf, n.name)
		}
	}
	return buf[:len(buf):len(buf)], buf
}

// jobs returns the jobs of refs (outlet ids with roles), in buf; nil for
// none.
func (p *names) jobs(refs []ref, buf []Job) ([]Job, []Job) {
	if len(refs) == 0 {
		return nil, buf
	}
	ns, buf := *p, buf[:0]
	for _, r := range refs {
		if n, ok := ns[r.id]; ok {
			buf = append(buf, Job{Outlet: n.name, Role: r.role})
		}
	}
	return buf[:len(buf):len(buf)], buf
}

// drain consumes what is left, so the producer can finish.
func (s *stream[T]) drain() {
	for range s.batches {
	}
}

// end marks the stream finished: no more batches come.
func (s *stream[T]) end() { close(s.batches) }

// DefaultWindow is how many members one round of queries reads. The id
// list travels as one parameter per query and each query hashes it against
// a whole table, so a round's memory follows its size (≈ 80 bytes per member
// here, 84 MB for 1,000,000) and every further round scans the tables again
// (at 1,000,000 members, ten rounds of 100,000 took 17.1 s against 8.0 s for
// one, for 35 instead of 84 MB). One round up to a million members, and the
// memory stays bounded beyond.
const DefaultWindow = 1_000_000

// each calls fn with the row of every id that exists, in the order of ids,
// a window of ids at a time.
func (l Loader) each(ctx context.Context, ids []int, n need, fn func(*Row) error) error {
	window := l.Window
	if window <= 0 {
		window = DefaultWindow
	}
	for w := range slices.Chunk(ids, window) {
		if err := l.eachWindow(ctx, w, n, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachWindow calls fn with the row of every id that exists, in the order
// of ids. One query per table (those n asks for) reads the whole list,
// ordered by position; the queries run concurrently and fn sees each row as
// soon as every table has delivered its part. The row passed to fn and its
// slices are valid only during the call.
func (l Loader) eachWindow(ctx context.Context, ids []int, n need, fn func(*Row) error) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		g        errgroup.Group
		arg      = l.idsArg(ids)
		from     = " FROM " + l.members() + " "
		contacts = newStream[Row]()
		emails   = newStream[string]()
		channels = newStream[Channel]()
		topics   = newStream[ref]()
		tags     = newStream[ref]()
		jobs     = newStream[ref]()
		// The names of topics, tags and outlets: each is written by the
		// goroutine of its stream before that sends its first batch, and
		// read here only for rows that stream delivered values for.
		topicNames, tagNames, outletNames names
		// Reused for every row.
		scratch          []ref
		topicBuf, tagBuf []string
		jobBuf           []Job
	)
	str := func(rs *sql.Rows, ord *int, v *string) error { return rs.Scan(intDest{ord}, v) }
	// launch runs a table's query if want; a failing query cancels ctx
	// before it ends its stream, so the merge below stops instead of
	// writing a row without that table's part.
	launch := func(want bool, s interface{ end() }, name string, run func() error) {
		if !want {
			s.end()
			return
		}
		g.Go(func() error {
			err := run()
			if err != nil {
				err = fmt.Errorf("export: load %s: %w", name, err)
				cancel()
			}
			s.end()
			return err
		})
	}
	cols, dests, owner := "m.ord, c.id", make([]func(*Row) any, 0, len(contactFields)), ""
	if n&needOwner != 0 {
		owner = " LEFT JOIN users u ON u.id = c.owner_id"
	}
	for _, f := range contactFields {
		if n&f.need != 0 {
			cols += ", " + f.sql
			dests = append(dests, f.dest)
		}
	}
	launch(true, contacts, "contacts", func() error {
		dest := make([]any, 2+len(dests))
		return produce(ctx, l, contacts, `SELECT `+cols+from+`JOIN contacts c ON c.id = m.id`+owner+` ORDER BY m.ord`, arg,
			func(rs *sql.Rows, ord *int, r *Row) error {
				dest[0], dest[1] = intDest{ord}, intDest{&r.ID}
				for i, d := range dests {
					dest[2+i] = d(r)
				}
				return rs.Scan(dest...)
			})
	})
	launch(n&needEmails != 0, emails, "e-mails", func() error {
		return produce(ctx, l, emails, `SELECT m.ord, e.address`+from+`JOIN contact_emails e ON e.contact_id = m.id
			ORDER BY m.ord, e."primary" DESC, e.id`, arg, str)
	})
	launch(n&needTopics != 0, topics, "topics", func() error {
		return produceNamed(ctx, l, topics, &topicNames, "topics", `SELECT m.ord, x.topic_id, 0, ''`+from+
			`JOIN contact_topics x ON x.contact_id = m.id ORDER BY m.ord`, arg)
	})
	launch(n&needTags != 0, tags, "tags", func() error {
		return produceNamed(ctx, l, tags, &tagNames, "tags", `SELECT m.ord, x.tag_id, 0, ''`+from+
			`JOIN contact_tags x ON x.contact_id = m.id ORDER BY m.ord`, arg)
	})
	launch(n&needJobs != 0, jobs, "outlets", func() error {
		return produceNamed(ctx, l, jobs, &outletNames, "outlets", `SELECT m.ord, x.outlet_id, x.id, x.role`+from+
			`JOIN employments x ON x.contact_id = m.id ORDER BY m.ord`, arg)
	})
	launch(n&needChannels != 0, channels, "channels", func() error {
		return produce(ctx, l, channels, `SELECT m.ord, s.platform, s.handle, s.followers`+from+`JOIN social_profiles s
			ON s.contact_id = m.id ORDER BY m.ord, s.followers DESC, s.id`, arg,
			func(rs *sql.Rows, ord *int, ch *Channel) error {
				return rs.Scan(intDest{ord}, &ch.Platform, &ch.Handle, int64Dest{&ch.Followers})
			})
	})
	var err error
	stopped := false
	for {
		it, ok := contacts.head()
		if !ok {
			break
		}
		r := &it.v
		r.Emails, r.Channels = emails.take(it.ord), channels.take(it.ord)
		scratch = topicNames.sort(append(scratch[:0], topics.take(it.ord)...))
		r.Topics, topicBuf = topicNames.strings(scratch, topicBuf)
		scratch = tagNames.sort(append(scratch[:0], tags.take(it.ord)...))
		r.Tags, tagBuf = tagNames.strings(scratch, tagBuf)
		scratch = outletNames.sort(append(scratch[:0], jobs.take(it.ord)...))
		r.Jobs, jobBuf = outletNames.jobs(scratch, jobBuf)
		if ctx.Err() != nil {
			stopped = true // a query failed (g.Wait says which) or the caller gave up
			break
		}
		if err = fn(r); err != nil {
			cancel()
			break
		}
		contacts.next++
	}
	contacts.drain()
	emails.drain()
	topics.drain()
	tags.drain()
	jobs.drain()
	channels.drain()
	gerr := g.Wait()
	switch {
	case err != nil:
		return err
	case gerr != nil:
		return gerr
	case stopped:
		return fmt.Errorf("export: %w", ctx.Err())
	}
	return nil
}

// phoneNumbers reads the numbers of the contacts.phones JSON column.
func phoneNumbers(js []byte) []string {
	if len(js) == 0 || string(js) == "null" {
		return nil
	}
	var ps []struct {
		Number string `json:"number"`
	}
	if json.Unmarshal(js, &ps) != nil {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Number = strings.TrimSpace(p.Number); p.Number != "" {
			out = append(out, p.Number)
		}
	}
	return out
}
