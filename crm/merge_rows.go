package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	entfield "entgo.io/ent/schema/field"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/migrate"
)

// mergeRow is one stored row as a merge keeps it for its undo: every column
// by name, in a form that survives JSON in the audit trail (times as
// RFC 3339 text in UTC, integers as int64, JSON columns as their text).
type mergeRow map[string]any

// tableOf is the ent table named name.
func tableOf(name string) *schema.Table {
	for _, t := range migrate.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// selectRows reads the rows of table whose col is id, every column.
func selectRows(ctx context.Context, tx *ent.Tx, dia string, t *schema.Table, col string, id int) ([]mergeRow, error) {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	b := entsql.Dialect(dia).Select(names...).From(entsql.Table(t.Name)).Where(entsql.EQ(col, id))
	q, args := b.Query()
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("merge: read %s: %w", t.Name, err)
	}
	defer rows.Close()
	var out []mergeRow
	for rows.Next() {
		vals := make([]any, len(t.Columns))
		ptrs := make([]any, len(t.Columns))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("merge: read %s: %w", t.Name, err)
		}
		r := mergeRow{}
		for i, c := range t.Columns {
			v, err := normValue(c, vals[i])
			if err != nil {
				return nil, fmt.Errorf("merge: read %s.%s: %w", t.Name, c.Name, err)
			}
			r[c.Name] = v
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// normValue is v (as a driver scanned it, or as JSON decoded it) in the
// one form a mergeRow holds.
func normValue(c *schema.Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch c.Type {
	case entfield.TypeTime:
		var t db.Time
		if err := t.Scan(v); err != nil {
			if s, ok := v.(string); ok {
				if p, perr := time.Parse(time.RFC3339Nano, s); perr == nil {
					return p.UTC().Format(time.RFC3339Nano), nil
				}
			}
			return nil, err
		}
		if !t.Valid {
			return nil, nil
		}
		return t.Time.UTC().Format(time.RFC3339Nano), nil
	case entfield.TypeBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case json.Number:
			return x.String() != "0", nil
		}
	case entfield.TypeInt, entfield.TypeInt8, entfield.TypeInt16, entfield.TypeInt32, entfield.TypeInt64,
		entfield.TypeUint, entfield.TypeUint8, entfield.TypeUint16, entfield.TypeUint32, entfield.TypeUint64:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int:
			return int64(x), nil
		case float64:
			return int64(x), nil
		case json.Number:
			return strconv.ParseInt(x.String(), 10, 64)
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case entfield.TypeFloat32, entfield.TypeFloat64:
		switch x := v.(type) {
		case float64:
			return x, nil
		case json.Number:
			return x.Float64()
		}
	default:
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

// sqlValue is a mergeRow value as a statement parameter of column c.
func sqlValue(c *schema.Column, v any) any {
	if s, ok := v.(string); ok && c.Type == entfield.TypeTime {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC()
		}
	}
	return v
}

// normRow brings a row decoded from JSON to the form selectRows gives.
func normRow(t *schema.Table, r mergeRow) (mergeRow, error) {
	out := make(mergeRow, len(r))
	for _, c := range t.Columns {
		v, err := normValue(c, r[c.Name])
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name, c.Name, err)
		}
		out[c.Name] = v
	}
	return out, nil
}

// pkWhere matches the row r by t's primary key.
func pkWhere(t *schema.Table, r mergeRow) *entsql.Predicate {
	var ps []*entsql.Predicate
	for _, c := range t.PrimaryKey {
		ps = append(ps, entsql.EQ(c.Name, sqlValue(c, r[c.Name])))
	}
	return entsql.And(ps...)
}

// putRow writes r into t: over the row with the primary key of at (an
// UPDATE of every column), or as a new row when there is none.
func putRow(ctx context.Context, tx *ent.Tx, dia string, t *schema.Table, at, r mergeRow) error {
	up := entsql.Dialect(dia).Update(t.Name)
	for _, c := range t.Columns {
		up.Set(c.Name, sqlValue(c, r[c.Name]))
	}
	q, args := up.Where(pkWhere(t, at)).Query()
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("merge: restore %s: %w", t.Name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n > 0 {
		return nil
	}
	ins := entsql.Dialect(dia).Insert(t.Name)
	var cols []string
	var vals []any
	for _, c := range t.Columns {
		cols = append(cols, c.Name)
		vals = append(vals, sqlValue(c, r[c.Name]))
	}
	q, args = ins.Columns(cols...).Values(vals...).Query()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("merge: restore %s: %w", t.Name, err)
	}
	return nil
}

// deleteRow deletes the row of t with r's primary key.
func deleteRow(ctx context.Context, tx *ent.Tx, dia string, t *schema.Table, r mergeRow) error {
	q, args := entsql.Dialect(dia).Delete(t.Name).Where(pkWhere(t, r)).Query()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("merge: %s: %w", t.Name, err)
	}
	return nil
}

// getRow reads the row of t with r's primary key (nil when there is none).
func getRow(ctx context.Context, tx *ent.Tx, dia string, t *schema.Table, r mergeRow) (mergeRow, error) {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	q, args := entsql.Dialect(dia).Select(names...).From(entsql.Table(t.Name)).Where(pkWhere(t, r)).Query()
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("merge: read %s: %w", t.Name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("merge: read %s: %w", t.Name, err)
	}
	out := mergeRow{}
	for i, c := range t.Columns {
		v, err := normValue(c, vals[i])
		if err != nil {
			return nil, fmt.Errorf("merge: read %s.%s: %w", t.Name, c.Name, err)
		}
		out[c.Name] = v
	}
	return out, rows.Err()
}
