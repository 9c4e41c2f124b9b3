package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The queries that build documents. Each reads one kind of row for a whole
// set of contacts, so a set of 1,000 contacts costs seven queries however
// many e-mails, channels, jobs or interactions they have. {c} stands for the
// condition that selects the contacts (on the column it follows): a list of
// ids (LoadDocuments) or a range of ids (LoadAll, which reads every contact
// with an index range scan per table instead of a list of parameters). The
// SQL runs on PostgreSQL and SQLite.
const (
	qContacts = `SELECT id, kind, stage, first_name, last_name, title, bio, city, region, COALESCE(owner_id, 0), reach,
	last_interaction_at, updated_at FROM contacts WHERE id {c}`
	qEmails   = `SELECT contact_id, address FROM contact_emails WHERE contact_id {c}`
	qChannels = `SELECT contact_id, platform, handle FROM social_profiles WHERE contact_id {c}`
	qOutlets  = `SELECT m.contact_id, o.name, m.role FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id {c}`
	qTopics   = `SELECT x.contact_id, t.name FROM contact_topics x JOIN topics t ON t.id = x.topic_id WHERE x.contact_id {c}`
	qTags     = `SELECT x.contact_id, t.name FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE x.contact_id {c}`
)

// qNotes reads the interactions of the contacts, with no order and no limit:
// numbering them per contact in SQL (a window function) sorts every row of
// the set, where the documents keep only the newest MaxNotes (normalize).
const qNotes = `SELECT p.contact_id, i.id, i.type, i.occurred_at, i.subject, SUBSTR(i.body, 1, 2000)
FROM participations p JOIN interactions i ON i.id = p.interaction_id WHERE p.contact_id {c}`

// Querier runs SQL: a *sql.DB or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// LoadDocuments builds the documents of the contacts ids from the database.
// Contacts that do not exist have no entry in the map.
func LoadDocuments(ctx context.Context, q Querier, ids []int) (map[int]*Document, error) {
	if len(ids) == 0 {
		return map[int]*Document{}, nil
	}
	list, args := placeholders(ids)
	docs, _, err := load(ctx, q, "IN ("+list+")", args, func(ids []int) (string, []any) {
		list, args := placeholders(ids)
		return "IN (" + list + ")", args
	})
	return docs, err
}

// LoadAll reads the documents of every contact in id order, in batches of
// buildBatch contacts, and passes each batch to each (which may keep it).
// It returns the number of documents read.
//
// It runs one query per table, all at once on their own connections, each
// ordered by contact id, and merges their rows here as they stream in: a
// rebuild costs seven queries whatever the number of contacts, the database
// reads every table once (where batches of ids made it look up 1,000
// contacts' interactions in random order, a hundred times over), and the
// documents flow out while the rows still arrive. The queries may see
// slightly different moments of a database that changes meanwhile: rows of
// contacts that the contacts query did not see are skipped, and a rebuild
// starts from a change log position read before it, so the indexer redoes
// whatever changed.
//
// The seven queries need seven connections at once: with a transaction, or
// a pool that allows fewer, LoadAll reads batches of buildBatch contacts
// one after the other instead (seven range queries each).
func LoadAll(parent context.Context, q Querier, each func(docs []*Document) error) (int, error) {
	if db, ok := q.(*sql.DB); !ok || (db.Stats().MaxOpenConnections > 0 && db.Stats().MaxOpenConnections < streams) {
		return loadBatches(parent, q, each)
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	all := func(query string) string { return strings.Replace(query, "{c}", "> $1 ORDER BY 1", 1) }
	contacts := streamRows(ctx, q, all(qContacts), fail, func(rows *sql.Rows) (int, *Document, error) {
		d := &Document{}
		var last sql.NullTime
		err := rows.Scan(&d.ID, &d.Kind, &d.Stage, &d.FirstName, &d.LastName, &d.Title, &d.Bio, &d.City, &d.Region,
			&d.OwnerID, &d.Reach, &last, &d.UpdatedAt)
		d.UpdatedAt = d.UpdatedAt.UTC()
		if last.Valid {
			t := last.Time.UTC()
			d.LastInteractionAt = &t
		}
		return d.ID, d, err
	})
	pair := func(rows *sql.Rows) (int, string, error) {
		var id int
		var v string
		err := rows.Scan(&id, &v)
		return id, v, err
	}
	emails := streamRows(ctx, q, all(qEmails), fail, pair)
	topics := streamRows(ctx, q, all(qTopics), fail, pair)
	tags := streamRows(ctx, q, all(qTags), fail, pair)
	channels := streamRows(ctx, q, all(qChannels), fail, func(rows *sql.Rows) (int, Channel, error) {
		var id int
		var c Channel
		err := rows.Scan(&id, &c.Platform, &c.Handle)
		return id, c, err
	})
	outlets := streamRows(ctx, q, all(qOutlets), fail, func(rows *sql.Rows) (int, Outlet, error) {
		var id int
		var o Outlet
		err := rows.Scan(&id, &o.Name, &o.Role)
		return id, o, err
	})
	notes := streamRows(ctx, q, all(qNotes), fail, func(rows *sql.Rows) (int, Note, error) {
		var id int
		var n Note
		err := rows.Scan(&id, &n.id, &n.Type, &n.At, &n.Subject, &n.Body)
		n.At = n.At.UTC()
		return id, n, err
	})
	n := 0
	batch := make([]*Document, 0, buildBatch)
	flush := func() error {
		if err := ctx.Err(); err != nil || len(batch) == 0 {
			return err // (a reader failed: the batch may lack its rows)
		}
		if err := each(batch); err != nil {
			return err
		}
		n += len(batch)
		batch = make([]*Document, 0, buildBatch)
		return nil
	}
	for {
		id, d, ok := contacts.next()
		if !ok {
			break
		}
		emails.take(id, func(v string) { d.Emails = append(d.Emails, v) })
		topics.take(id, func(v string) { d.Topics = append(d.Topics, v) })
		tags.take(id, func(v string) { d.Tags = append(d.Tags, v) })
		channels.take(id, func(c Channel) { d.Channels = append(d.Channels, c) })
		outlets.take(id, func(o Outlet) { d.Outlets = append(d.Outlets, o) })
		notes.take(id, func(n Note) { d.Notes = append(d.Notes, n) })
		d.normalize()
		if batch = append(batch, d); len(batch) == buildBatch {
			if err := flush(); err != nil {
				fail(err)
				break
			}
		}
	}
	if ctx.Err() == nil { // no reader failed: the contacts ran out
		if err := flush(); err != nil {
			fail(err)
		}
	}
	cancel()
	for _, r := range []interface{ drain() }{contacts, emails, topics, tags, channels, outlets, notes} {
		r.drain()
	}
	mu.Lock()
	defer mu.Unlock()
	if first != nil {
		return n, first
	}
	return n, parent.Err()
}

// streams is the number of queries LoadAll runs at once.
const streams = 7

// loadBatches is LoadAll one batch of contacts at a time.
func loadBatches(ctx context.Context, q Querier, each func(docs []*Document) error) (int, error) {
	n, after := 0, 0
	for {
		docs, err := loadRange(ctx, q, after, buildBatch)
		if err != nil || len(docs) == 0 {
			return n, err
		}
		if err := each(docs); err != nil {
			return n, err
		}
		n += len(docs)
		after = docs[len(docs)-1].ID
	}
}

// loadRange builds the documents of the first limit contacts with an id
// greater than after, and returns them in id order.
func loadRange(ctx context.Context, q Querier, after, limit int) ([]*Document, error) {
	docs, ids, err := load(ctx, q, "> $1 ORDER BY id LIMIT $2", []any{after, limit}, func(ids []int) (string, []any) {
		return "BETWEEN $1 AND $2", []any{ids[0], ids[len(ids)-1]}
	})
	if err != nil {
		return nil, err
	}
	list := make([]*Document, 0, len(ids))
	for _, id := range ids {
		list = append(list, docs[id])
	}
	return list, nil
}

// rowStream is the rows of one query ordered by contact id, read by a
// goroutine of its own and handed over in chunks.
type rowStream[T any] struct {
	ch    chan []keyed[T]
	chunk []keyed[T]
	i     int
}

type keyed[T any] struct {
	id int
	v  T
}

// streamRows runs query (with the argument 0: every contact id is above it)
// and streams its rows, made by row, until they end or ctx does; an error
// goes to fail.
func streamRows[T any](ctx context.Context, q Querier, query string, fail func(error),
	row func(*sql.Rows) (int, T, error)) *rowStream[T] {
	const chunkRows = 512
	s := &rowStream[T]{ch: make(chan []keyed[T], 8)}
	go func() {
		defer close(s.ch)
		chunk := make([]keyed[T], 0, chunkRows)
		send := func() bool {
			select {
			case s.ch <- chunk:
				chunk = make([]keyed[T], 0, chunkRows)
				return true
			case <-ctx.Done():
				return false
			}
		}
		err := scan(ctx, q, query, []any{0}, func(rows *sql.Rows) error {
			id, v, err := row(rows)
			if err != nil {
				return err
			}
			if chunk = append(chunk, keyed[T]{id, v}); len(chunk) == chunkRows && !send() {
				return ctx.Err()
			}
			return nil
		})
		if err == nil && len(chunk) > 0 {
			send()
		}
		if err != nil && ctx.Err() == nil {
			fail(err)
		}
	}()
	return s
}

// peek returns the next row without taking it; ok is false at the end.
func (s *rowStream[T]) peek() (keyed[T], bool) {
	for s.i == len(s.chunk) {
		c, ok := <-s.ch
		if !ok {
			return keyed[T]{}, false
		}
		s.chunk, s.i = c, 0
	}
	return s.chunk[s.i], true
}

// next takes the next row.
func (s *rowStream[T]) next() (int, T, bool) {
	r, ok := s.peek()
	if ok {
		s.i++
	}
	return r.id, r.v, ok
}

// take passes the values of the rows of contact id to add, skipping rows of
// lower ids (of contacts that the contacts query did not see).
func (s *rowStream[T]) take(id int, add func(T)) {
	for {
		r, ok := s.peek()
		if !ok || r.id > id {
			return
		}
		s.i++
		if r.id == id {
			add(r.v)
		}
	}
}

// drain lets the reader goroutine end (its context is cancelled).
func (s *rowStream[T]) drain() {
	for range s.ch {
	}
}

// load runs the document queries: contacts with the condition cond and its
// arguments, then the related rows of the contacts found with the condition
// that related returns for their ids (in the order they came). Rows of
// contacts outside the set are ignored.
func load(ctx context.Context, q Querier, cond string, args []any, related func(ids []int) (string, []any)) (map[int]*Document, []int, error) {
	docs := map[int]*Document{}
	var ids []int
	err := scan(ctx, q, strings.Replace(qContacts, "{c}", cond, 1), args, func(rows *sql.Rows) error {
		d := &Document{}
		var last sql.NullTime
		if err := rows.Scan(&d.ID, &d.Kind, &d.Stage, &d.FirstName, &d.LastName, &d.Title, &d.Bio, &d.City, &d.Region,
			&d.OwnerID, &d.Reach, &last, &d.UpdatedAt); err != nil {
			return err
		}
		d.UpdatedAt = d.UpdatedAt.UTC()
		if last.Valid {
			t := last.Time.UTC()
			d.LastInteractionAt = &t
		}
		docs[d.ID] = d
		ids = append(ids, d.ID)
		return nil
	})
	if err != nil || len(docs) == 0 {
		return docs, ids, err
	}
	cond, args = related(ids) // ask only about the contacts that exist
	run := func(query string, each func(*sql.Rows) error) error {
		return scan(ctx, q, strings.Replace(query, "{c}", cond, 1), args, each)
	}
	pairs := func(query string, add func(d *Document, v string)) error {
		return run(query, func(rows *sql.Rows) error {
			var id int
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			if d := docs[id]; d != nil {
				add(d, v)
			}
			return nil
		})
	}
	if err := pairs(qEmails, func(d *Document, v string) { d.Emails = append(d.Emails, v) }); err != nil {
		return nil, nil, err
	}
	if err := pairs(qTopics, func(d *Document, v string) { d.Topics = append(d.Topics, v) }); err != nil {
		return nil, nil, err
	}
	if err := pairs(qTags, func(d *Document, v string) { d.Tags = append(d.Tags, v) }); err != nil {
		return nil, nil, err
	}
	err = run(qChannels, func(rows *sql.Rows) error {
		var id int
		var c Channel
		if err := rows.Scan(&id, &c.Platform, &c.Handle); err != nil {
			return err
		}
		if d := docs[id]; d != nil {
			d.Channels = append(d.Channels, c)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = run(qOutlets, func(rows *sql.Rows) error {
		var id int
		var o Outlet
		if err := rows.Scan(&id, &o.Name, &o.Role); err != nil {
			return err
		}
		if d := docs[id]; d != nil {
			d.Outlets = append(d.Outlets, o)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	err = run(qNotes, func(rows *sql.Rows) error {
		var id int
		var n Note
		if err := rows.Scan(&id, &n.id, &n.Type, &n.At, &n.Subject, &n.Body); err != nil {
			return err
		}
		n.At = n.At.UTC()
		if d := docs[id]; d != nil {
			d.Notes = append(d.Notes, n)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, d := range docs {
		d.normalize()
	}
	return docs, ids, nil
}

// placeholders returns "$1,$2,…" and the ids as arguments.
func placeholders(ids []int) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(i + 1))
		args[i] = id
	}
	return b.String(), args
}

// scan runs query and calls each for every row.
func scan(ctx context.Context, q Querier, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("load search documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return fmt.Errorf("load search documents: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load search documents: %w", err)
	}
	return nil
}

// contactIDsAfter returns up to limit contact ids greater than after, in order.
func contactIDsAfter(ctx context.Context, q Querier, after, limit int) ([]int, error) {
	var ids []int
	err := scan(ctx, q, "SELECT id FROM contacts WHERE id > $1 ORDER BY id LIMIT $2", []any{after, limit}, func(rows *sql.Rows) error {
		var id int
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	return ids, err
}
