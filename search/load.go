package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/graph"
)

// docNeeds are the parts of a contact its document holds.
const docNeeds = graph.Kind | graph.Stage | graph.FirstName | graph.LastName | graph.Title | graph.Bio | graph.City |
	graph.Region | graph.OwnerID | graph.Reach | graph.LastInteractionAt | graph.UpdatedAt |
	graph.Emails | graph.Channels | graph.Jobs | graph.Topics | graph.Tags | graph.Notes | graph.Coverage | graph.Custom | graph.Posts

// LoadDocuments builds the documents of the contacts ids from the database,
// with one query per table for the whole list. Contacts that do not exist
// have no entry in the map.
func LoadDocuments(ctx context.Context, l graph.Loader, ids []int) (map[int]*Document, error) {
	docs := make(map[int]*Document, len(ids))
	err := l.Each(ctx, ids, docNeeds, func(c *graph.Contact) error {
		docs[c.ID] = documentOf(c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load search documents: %w", err)
	}
	return docs, nil
}

// LoadAll reads the documents of every contact in id order, in batches of
// buildBatch contacts, and passes each batch to each (which may keep it).
// It returns the number of documents read.
//
// The loader runs one query per table, all at once on their own
// connections, each ordered by contact id, and merges their rows as they
// stream in: a rebuild costs one query per table whatever the number of
// contacts, and the documents flow out while the rows still arrive. The
// queries may see slightly different moments of a database that changes
// meanwhile; a rebuild starts from a change log position read before it,
// so the indexer redoes whatever changed.
func LoadAll(ctx context.Context, l graph.Loader, each func(docs []*Document) error) (int, error) {
	n := 0
	batch := make([]*Document, 0, buildBatch)
	err := l.All(ctx, docNeeds, func(c *graph.Contact) error {
		if batch = append(batch, documentOf(c)); len(batch) < buildBatch {
			return nil
		}
		n += len(batch)
		err := each(batch)
		batch = make([]*Document, 0, buildBatch)
		return err
	})
	if err == nil && len(batch) > 0 {
		n += len(batch)
		err = each(batch)
	}
	if err != nil {
		return n, fmt.Errorf("load search documents: %w", err)
	}
	return n, nil
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
func scan(ctx context.Context, q db.Querier, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
