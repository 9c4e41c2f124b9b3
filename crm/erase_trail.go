package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/importfile"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// erasedValue replaces every value about an erased person in the trail.
const erasedValue = "[erased]"

// pseudonymise rewrites the audit events of the targets (entity → ids):
// actor, time, action, entity, id and the names of the changed fields stay;
// the values, the summary (which may quote them) and the message's
// arguments go (the message, a catalogue ID, stays: the page then says the
// sentence with "[erased]" in each place). The database
// rewrites the changes itself: on PostgreSQL one statement per entity, its
// ids one array joined to the (entity, entity_id) index (chunks of 1,000
// scanned every event of the entity once per chunk when the statistics were
// stale); on SQLite one statement per entity and 1,000 ids (its parameter
// limit).
func pseudonymise(ctx context.Context, tx *ent.Tx, dia string, targets map[string][]int) (int, error) {
	erased := `'["` + erasedValue + `","` + erasedValue + `"]'`
	n := 0
	for _, entity := range slices.Sorted(mapKeys(targets)) {
		ids := targets[entity]
		if len(ids) == 0 {
			continue
		}
		type stmt struct {
			q    string
			args []any
		}
		var stmts []stmt
		if dia == dialect.Postgres {
			arr := make([]int64, len(ids))
			for i, id := range ids {
				arr[i] = int64(id)
			}
			q := `UPDATE audit_events AS a SET summary = $1, changes = CASE WHEN a.changes IS NULL THEN NULL ELSE
				(SELECT jsonb_object_agg(k, ` + erased + `::jsonb) FROM jsonb_object_keys(a.changes) AS k) END,
				message_args = CASE WHEN a.message_args IS NULL THEN NULL ELSE
				(SELECT jsonb_object_agg(k, to_jsonb('` + erasedValue + `'::text)) FROM jsonb_object_keys(a.message_args) AS k) END
				FROM unnest($3::bigint[]) AS t(id) WHERE a.entity = $2 AND a.entity_id = t.id`
			stmts = append(stmts, stmt{q, []any{erasedValue, entity, pq.Array(arr)}})
		} else {
			changes := "(SELECT json_group_object(key, json(" + erased + ")) FROM json_each(audit_events.changes))"
			margs := "(SELECT json_group_object(key, '" + erasedValue + "') FROM json_each(audit_events.message_args))"
			for chunk := range slices.Chunk(ids, bulkChunk) {
				b := entsql.Dialect(dia).Update(auditevent.Table).Set(auditevent.FieldSummary, erasedValue).
					Set(auditevent.FieldChanges, entsql.Expr("CASE WHEN changes IS NULL THEN NULL ELSE "+changes+" END")).
					Set(auditevent.FieldMessageArgs, entsql.Expr("CASE WHEN message_args IS NULL THEN NULL ELSE "+margs+" END"))
				b.Where(entsql.And(entsql.EQ(auditevent.FieldEntity, entity),
					entsql.P(func(pb *entsql.Builder) { inInts(pb, dia, auditevent.FieldEntityID, chunk) })))
				q, args := b.Query()
				stmts = append(stmts, stmt{q, args})
			}
		}
		for _, st := range stmts {
			res, err := tx.ExecContext(ctx, st.q, st.args...)
			if err != nil {
				return 0, fmt.Errorf("erase: pseudonymise audit events: %w", err)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
	}
	return n, nil
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// purgeImports deletes the import rows that carried the people (linked to
// them, or naming one of marks in their cells) and purges the uploaded file
// of every import that did: the rows that remain say what happened to the
// others; the file cannot be rewritten reliably in every format, so it goes
// (a purged import can no longer be resumed, its outcome stays).
func purgeImports(ctx context.Context, tx *ent.Tx, dia string, ids []int, marks []string) (rows, files int, err error) {
	jobs := map[int]bool{}
	linked, err := tx.ImportRow.Query().Where(func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) { inInts(b, s.Dialect(), s.C(importrow.FieldContactID), ids) }))
	}).Select(importrow.FieldImportID).Ints(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("erase: import rows: %w", err)
	}
	for _, j := range linked {
		jobs[j] = true
	}
	// Files that hold a mark, as typed or lower case (e-mails are stored so).
	var probes [][]byte
	for _, m := range marks {
		probes = append(probes, []byte(m))
		if l := strings.ToLower(m); l != m {
			probes = append(probes, []byte(l))
		}
	}
	contains := "position($1 in data) > 0"
	if dia != dialect.Postgres {
		contains = "instr(data, ?) > 0"
	}
	for _, p := range probes {
		err := scanRowsArgs(ctx, tx.Client(), "SELECT import_id FROM import_files WHERE "+contains, []any{p}, func(scan func(...any) error) error {
			var id int
			if err := scan(&id); err != nil {
				return err
			}
			jobs[id] = true
			return nil
		})
		if err != nil {
			return 0, 0, fmt.Errorf("erase: import files: %w", err)
		}
	}
	if len(jobs) == 0 {
		return 0, 0, nil
	}
	jobIDs := slices.Sorted(mapKeys(jobs))
	preds := []func(*entsql.Selector){func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) { inInts(b, s.Dialect(), s.C(importrow.FieldContactID), ids) }))
	}}
	for _, m := range marks {
		preds = append(preds, func(s *entsql.Selector) {
			s.Where(entsql.Or(likeFold(s.C(importrow.FieldRaw), m), likeFold(s.C(importrow.FieldBefore), m)))
		})
	}
	for _, p := range preds {
		n, err := tx.ImportRow.Delete().Where(importrow.ImportIDIn(jobIDs...), p).Exec(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("erase: import rows: %w", err)
		}
		rows += n
	}
	files, err = tx.ImportFile.Delete().Where(importfile.ImportIDIn(jobIDs...)).Exec(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("erase: import files: %w", err)
	}
	return rows, files, nil
}

// scrubExportLogs clears the query text of export logs that name one of
// marks: an export log keeps who was exported as ids only.
func scrubExportLogs(ctx context.Context, tx *ent.Tx, marks []string) (int, error) {
	n := 0
	for _, m := range marks {
		k, err := tx.ExportLog.Update().Where(func(s *entsql.Selector) {
			s.Where(entsql.Or(likeFold(s.C(exportlog.FieldQuery), m), likeFold(s.C(exportlog.FieldSegmentName), m)))
		}).SetQuery(erasedValue).SetSegmentName("").Save(ctx)
		if err != nil {
			return 0, fmt.Errorf("erase: export logs: %w", err)
		}
		n += k
	}
	return n, nil
}

// likeFold matches col (text or JSON) containing m, case-blind: on
// PostgreSQL CAST(col AS text) ILIKE, on SQLite lower(col) LIKE the lowered
// pattern (SQLite's LIKE folds ASCII only; db registers a Unicode lower).
func likeFold(col, m string) *entsql.Predicate {
	return entsql.P(func(b *entsql.Builder) {
		pat := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(m) + "%"
		if b.Dialect() == dialect.Postgres {
			b.WriteString("CAST(" + col + " AS text) ILIKE ").Arg(pat).WriteString(` ESCAPE '\'`)
			return
		}
		b.WriteString("lower(" + col + ") LIKE ").Arg(strings.ToLower(pat)).WriteString(` ESCAPE '\'`)
	})
}
