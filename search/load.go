package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// The queries that build documents. Each reads one kind of row for a whole
// set of contacts, so a set of 1,000 contacts costs seven queries however
// many e-mails, channels, jobs or interactions they have. {c} stands for the
// condition that selects the contacts (on the column it follows): a list of
// ids (LoadDocuments) or a range of ids (LoadAll, which reads every contact
// with an index range scan per table instead of a list of parameters). The
// SQL runs on PostgreSQL and SQLite.
const (
	qContacts = `SELECT id, kind, first_name, last_name, title, bio, city, region, COALESCE(owner_id, 0), reach,
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

// LoadAll reads the documents of every contact, in batches of buildBatch
// contacts in id order, and passes each batch to each. It returns the
// number of documents read.
func LoadAll(ctx context.Context, q Querier, each func(docs []*Document) error) (int, error) {
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
		if err := rows.Scan(&d.ID, &d.Kind, &d.FirstName, &d.LastName, &d.Title, &d.Bio, &d.City, &d.Region,
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
