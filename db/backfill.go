package db

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/crm/sortkey"
)

// backfills are the Go steps of migrations whose data SQL cannot compute
// the same way on both databases, by file name without the version. Each
// runs right after its file's statements, in the same transaction, so it
// runs exactly once and a failure leaves the migration unapplied.
var backfills = map[string]func(ctx context.Context, q Querier, dia string) error{
	"name_sort_keys.sql": backfillSortKeys,
}

// backfill runs m's Go step, if it has one.
func backfill(ctx context.Context, q Querier, m Migration) error {
	f := backfills[strings.TrimPrefix(m.Name, m.Version+"_")]
	if f == nil {
		return nil
	}
	if err := f(ctx, q, m.dialect); err != nil {
		return fmt.Errorf("migrate %s: backfill: %w", m.Name, err)
	}
	return nil
}

// backfillChunk is how many contacts one round of backfillSortKeys reads and writes.
const backfillChunk = 5000

// backfillSortKeys sets contacts.sort_last and sort_first from the names
// with the function every writer uses (sortkey.Key), in id order, a chunk
// at a time: on PostgreSQL one UPDATE … FROM unnest per chunk, on SQLite
// one prepared UPDATE per row (cheap in-process).
func backfillSortKeys(ctx context.Context, q Querier, dia string) error {
	last := 0
	for {
		rs, err := q.QueryContext(ctx, "SELECT id, first_name, last_name FROM contacts WHERE id > $1 ORDER BY id LIMIT $2", last, backfillChunk)
		if err != nil {
			return err
		}
		var (
			ids           []int64
			lasts, firsts []string
		)
		for rs.Next() {
			var (
				id          int64
				first, name string
			)
			if err := rs.Scan(&id, &first, &name); err != nil {
				rs.Close()
				return err
			}
			ids, lasts, firsts = append(ids, id), append(lasts, sortkey.Key(name)), append(firsts, sortkey.Key(first))
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if dia == dialect.Postgres {
			_, err = q.ExecContext(ctx, `UPDATE contacts c SET sort_last = u.l, sort_first = u.f
				FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, l, f) WHERE c.id = u.id`,
				pq.Array(ids), pq.Array(lasts), pq.Array(firsts))
		} else {
			for i, id := range ids {
				if _, err = q.ExecContext(ctx, "UPDATE contacts SET sort_last = $1, sort_first = $2 WHERE id = $3", lasts[i], firsts[i], id); err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
		last = int(ids[len(ids)-1])
	}
}
