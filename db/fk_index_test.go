package db_test

import (
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestForeignKeysIndexed fails when a foreign key's columns are not the
// leading columns of some index on its table. PostgreSQL does not index the
// referencing side of a foreign key itself, so without one every delete (or
// key update) of a parent row scans the whole child table in the
// constraint's trigger. The list comes from the catalog of a freshly migrated
// database, so a new edge without an index fails here.
func TestForeignKeysIndexed(t *testing.T) {
	d := dbtest.Open(t, dialect.Postgres, nil)
	// For each foreign key of the public schema: its table, name and
	// columns in order, and whether some valid index on the table starts
	// with exactly those columns (in any order among themselves, as a
	// lookup by all of them can use it).
	rows, err := d.SQL.QueryContext(context.Background(), `
SELECT c.conrelid::regclass::text, c.conname,
       array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ','),
       EXISTS (SELECT 1 FROM pg_index i
               WHERE i.indrelid = c.conrelid AND i.indisvalid
                 AND i.indnkeyatts >= cardinality(c.conkey)
                 AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:cardinality(c.conkey)-1]) x)
                   = (SELECT array_agg(x ORDER BY x) FROM unnest(c.conkey) x))
FROM pg_constraint c
JOIN pg_namespace n ON n.oid = c.connamespace
WHERE c.contype = 'f' AND n.nspname = 'public'
ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int
	var missing []string
	for rows.Next() {
		var table, name, cols string
		var indexed bool
		if err := rows.Scan(&table, &name, &cols, &indexed); err != nil {
			t.Fatal(err)
		}
		n++
		if !indexed {
			missing = append(missing, table+"("+cols+") "+name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("found only %d foreign keys; is the catalog query right?", n)
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d foreign keys have no index leading with their columns (add index.Fields in ent/schema and a migration):\n  %s",
			len(missing), n, strings.Join(missing, "\n  "))
	}
}
