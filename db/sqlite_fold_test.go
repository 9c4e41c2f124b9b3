package db_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// foldTexts are names and words a German user types, with the letters
// whose case SQLite's built-in lower() and upper() left alone.
var foldTexts = []string{
	"Özdemir", "özdemir", "ÖZDEMIR", "Ärger Übel Öl", "äöü", "ÄÖÜ", "Straße", "STRASSE", "STRAẞE",
	"Élodie", "ÉLODIE", "Ça va", "Ångström", "Łukasz", "ΣΊΣΥΦΟΣ", "İstanbul", "ﬁ", "plain ASCII 42", "",
}

// TestFoldAgreesWithPostgres: lower() and upper() of SQLite give the text
// PostgreSQL's do, for every text above; without the Unicode functions
// SQLite kept "Ö", "Ä", "É" and the rest as they were.
func TestFoldAgreesWithPostgres(t *testing.T) {
	ctx := context.Background()
	got := map[string][2][]string{}
	for _, dia := range dbtest.Dialects {
		d := dbtest.Open(t, dia, nil)
		var lowers, uppers []string
		for _, s := range foldTexts {
			var l, u string
			q := "SELECT lower(?), upper(?)"
			if dia == dialect.Postgres {
				q = "SELECT lower($1::text), upper($1::text)"
				if err := d.SQL.QueryRowContext(ctx, q, s).Scan(&l, &u); err != nil {
					t.Fatalf("%s: %v", dbtest.Name(dia), err)
				}
			} else if err := d.SQL.QueryRowContext(ctx, q, s, s).Scan(&l, &u); err != nil {
				t.Fatalf("%s: %v", dbtest.Name(dia), err)
			}
			lowers, uppers = append(lowers, l), append(uppers, u)
		}
		got[dia] = [2][]string{lowers, uppers}
	}
	sq, pg := got[dialect.SQLite], got[dialect.Postgres]
	for i, s := range foldTexts {
		if sq[0][i] != pg[0][i] {
			t.Errorf("lower(%q): sqlite %q, postgres %q", s, sq[0][i], pg[0][i])
		}
		if sq[1][i] != pg[1][i] {
			t.Errorf("upper(%q): sqlite %q, postgres %q", s, sq[1][i], pg[1][i])
		}
	}
	if sq[0][0] != "özdemir" || sq[1][1] != "ÖZDEMIR" {
		t.Errorf("sqlite: lower(Özdemir) = %q, upper(özdemir) = %q", sq[0][0], sq[1][1])
	}
}

// TestFoldValuesAsSQLite: for what is not text the functions answer as
// SQLite's built-ins did: NULL for NULL, and otherwise text, a number as
// CAST(x AS TEXT) writes it (json_extract of a number custom field ends up
// here); bytes that are not UTF-8 stay.
func TestFoldValuesAsSQLite(t *testing.T) {
	d := dbtest.Open(t, dialect.SQLite, nil)
	ctx := context.Background()
	var null sql.NullString
	if err := d.SQL.QueryRowContext(ctx, "SELECT lower(NULL)").Scan(&null); err != nil || null.Valid {
		t.Errorf("lower(NULL) = %v (%v), want NULL", null, err)
	}
	for _, x := range []string{
		"0", "-7", "9223372036854775807", "0.0", "-0.0", "1.0", "1.5", "0.1", "0.1+0.2", "12.75", "-1234.5678", "-2.5e-7", "9.0e-5", "1e-4",
		"1e15", "1e16", "1e17", "123456789012345678.0", "1e20", "-1.25e300", "1e999", "-1e999",
	} {
		var typ, lower, upper, want string
		err := d.SQL.QueryRowContext(ctx, "SELECT typeof(lower("+x+")), lower("+x+"), upper("+x+"), CAST("+x+" AS TEXT)").
			Scan(&typ, &lower, &upper, &want)
		if err != nil {
			t.Fatalf("%s: %v", x, err)
		}
		if typ != "text" || lower != strings.ToLower(want) || upper != strings.ToUpper(want) {
			t.Errorf("%s: lower %s %q, upper %q; want text %q folded", x, typ, lower, upper, want)
		}
	}
	// A number that needs 17 digits may differ in the last one (SQLite
	// makes them inexactly); it reads back as the same number.
	var third string
	var same bool
	if err := d.SQL.QueryRowContext(ctx, "SELECT lower(1.0/3), CAST(lower(1.0/3) AS REAL) = 1.0/3").Scan(&third, &same); err != nil || !same {
		t.Errorf("lower(1.0/3) = %q, the same number: %v (%v)", third, same, err)
	}
	var blob, bad string
	if err := d.SQL.QueryRowContext(ctx, "SELECT lower(x'41C384'), hex(lower('AB' || x'ff' || 'Ä'))").Scan(&blob, &bad); err != nil {
		t.Fatal(err)
	}
	if blob != "aä" || bad != "6162FFC3A4" {
		t.Errorf("lower(blob) = %q, lower(invalid UTF-8) = %s; want \"aä\" and 6162FFC3A4", blob, bad)
	}
}
