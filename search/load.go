package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// The queries that build documents. Each reads one kind of row for a whole
// batch of contacts, so a batch of 1,000 contacts costs seven queries
// however many e-mails, channels, jobs or interactions they have. %s is the
// list of contact ids ($1, $2, …). The SQL runs on PostgreSQL and SQLite.
const (
	qContacts = `SELECT id, kind, first_name, last_name, title, bio, city, region, COALESCE(owner_id, 0), reach,
	last_interaction_at, updated_at FROM contacts WHERE id IN (%s)`
	qEmails   = `SELECT contact_id, address FROM contact_emails WHERE contact_id IN (%s)`
	qChannels = `SELECT contact_id, platform, handle FROM social_profiles WHERE contact_id IN (%s)`
	qOutlets  = `SELECT m.contact_id, o.name, m.role FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id IN (%s)`
	qTopics   = `SELECT x.contact_id, t.name FROM contact_topics x JOIN topics t ON t.id = x.topic_id WHERE x.contact_id IN (%s)`
	qTags     = `SELECT x.contact_id, t.name FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE x.contact_id IN (%s)`
	qNotes    = `SELECT contact_id, type, occurred_at, subject, body FROM (
	SELECT p.contact_id, i.type, i.occurred_at, i.subject, SUBSTR(i.body, 1, ` + "2000" + `) AS body,
		ROW_NUMBER() OVER (PARTITION BY p.contact_id ORDER BY i.occurred_at DESC, i.id DESC) AS rn
	FROM participations p JOIN interactions i ON i.id = p.interaction_id WHERE p.contact_id IN (%s)) x
WHERE rn <= ` + "50" + ` ORDER BY contact_id, rn`
)

// Querier runs SQL: a *sql.DB or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// LoadDocuments builds the documents of the contacts ids from the database.
// Contacts that do not exist have no entry in the map.
func LoadDocuments(ctx context.Context, q Querier, ids []int) (map[int]*Document, error) {
	docs := make(map[int]*Document, len(ids))
	if len(ids) == 0 {
		return docs, nil
	}
	list, args := placeholders(ids)
	err := scan(ctx, q, fmt.Sprintf(qContacts, list), args, func(rows *sql.Rows) error {
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
		return nil
	})
	if err != nil || len(docs) == 0 {
		return docs, err
	}
	if len(docs) < len(ids) { // ask only about the contacts that exist
		ids = ids[:0:0]
		for id := range docs {
			ids = append(ids, id)
		}
		list, args = placeholders(ids)
	}
	pairs := func(query string, add func(d *Document, v string)) error {
		return scan(ctx, q, fmt.Sprintf(query, list), args, func(rows *sql.Rows) error {
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
		return nil, err
	}
	if err := pairs(qTopics, func(d *Document, v string) { d.Topics = append(d.Topics, v) }); err != nil {
		return nil, err
	}
	if err := pairs(qTags, func(d *Document, v string) { d.Tags = append(d.Tags, v) }); err != nil {
		return nil, err
	}
	err = scan(ctx, q, fmt.Sprintf(qChannels, list), args, func(rows *sql.Rows) error {
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
		return nil, err
	}
	err = scan(ctx, q, fmt.Sprintf(qOutlets, list), args, func(rows *sql.Rows) error {
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
		return nil, err
	}
	err = scan(ctx, q, fmt.Sprintf(qNotes, list), args, func(rows *sql.Rows) error {
		var id int
		var n Note
		if err := rows.Scan(&id, &n.Type, &n.At, &n.Subject, &n.Body); err != nil {
			return err
		}
		n.At = n.At.UTC()
		if d := docs[id]; d != nil {
			d.Notes = append(d.Notes, n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		d.normalize()
	}
	return docs, nil
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
