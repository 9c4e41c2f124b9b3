package dbtest

import (
	"context"
	"fmt"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
)

// A ForeignKey is a single-column foreign key as the database's catalogue
// has it: Table.Column refers to Parent.Ref, OnDelete is CASCADE, SET NULL,
// NO ACTION or RESTRICT.
type ForeignKey struct {
	Table, Column, Parent, Ref, OnDelete string
}

// ForeignKeys reads every foreign key of d's schema from the catalogue
// (pg_constraint on PostgreSQL, pragma foreign_key_list on SQLite).
func ForeignKeys(t testing.TB, d *db.DB) []ForeignKey {
	t.Helper()
	ctx := context.Background()
	var out []ForeignKey
	if d.Dialect == dialect.Postgres {
		rows, err := d.SQL.QueryContext(ctx, `
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, r.attname,
	CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
		WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END, array_length(c.conkey, 1)
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k ForeignKey
			var cols int
			if err := rows.Scan(&k.Table, &k.Column, &k.Parent, &k.Ref, &k.OnDelete, &cols); err != nil {
				t.Fatal(err)
			}
			if cols != 1 {
				t.Fatalf("%s: a foreign key of %d columns; ForeignKeys reads single-column keys only", k.Table, cols)
			}
			out = append(out, k)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	var tables []string
	rows, err := d.SQL.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		rows, err := d.SQL.QueryContext(ctx, "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?)", table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, seq int
			k := ForeignKey{Table: table}
			if err := rows.Scan(&id, &seq, &k.Parent, &k.Column, &k.Ref, &k.OnDelete); err != nil {
				t.Fatal(err)
			}
			if k.Ref == "" {
				k.Ref = "id" // the parent's primary key
			}
			if seq != 0 {
				t.Fatalf("%s: a foreign key of more than one column; ForeignKeys reads single-column keys only", table)
			}
			out = append(out, k)
		}
		rows.Close()
	}
	return out
}

// Orphans counts, per foreign key of d's schema ("table.column"), the rows
// whose key refers to a row that does not exist; only keys with orphans
// are listed.
func Orphans(t testing.TB, d *db.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, k := range ForeignKeys(t, d) {
		q := fmt.Sprintf(`SELECT count(*) FROM %s AS c WHERE c.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE p.%s = c.%s)`,
			k.Table, k.Column, k.Parent, k.Ref, k.Column)
		var n int
		if err := d.SQL.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
			t.Fatalf("orphans of %s.%s: %v", k.Table, k.Column, err)
		}
		if n > 0 {
			out[k.Table+"."+k.Column] = n
		}
	}
	return out
}
