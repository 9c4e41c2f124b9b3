package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/locale"
)

// cliRun runs the command line in-process and returns what it wrote to
// stdout and stderr, with main's report of an error on stderr.
func cliRun(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	if err != nil {
		report(locale.With(t.Context(), cliLocale(os.Getenv)), &errOut, err)
	}
	return out.String(), errOut.String(), err
}

// TestCLISpeaksTheUsersLanguage runs the commands with LANG=de_DE.UTF-8 and
// LANG=en_US.UTF-8 and checks their lines word for word: a usage error, a
// validation error, user creation, an import with a rejected row, the
// retention sweep and the help. In German every message the command line
// translated must have its German entry.
func TestCLISpeaksTheUsersLanguage(t *testing.T) {
	type want struct {
		usage, unknown, invalid, created, importHead, importSummary, rejected, sweep, revert, help string
	}
	langs := []struct {
		lang string
		want want
	}{
		{"de_DE.UTF-8", want{
			usage:   "rapport: Aufruf: rapport privacy sweep\n",
			unknown: "rapport: Unbekannter Befehl „frobnicate“; siehe 'rapport --help'.\n",
			invalid: "rapport: ungültige Eingabe:\n  --email: Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.\n",
			created: "Ada Größe <admin@example.com> angelegt (Admin).\n",
			importHead: "Import Nr. 1: liste.csv, csv (utf-8, Trennzeichen „;“)\n" +
				"  Vorname                      → Vorname\n  Nachname                     → Nachname\n  E-Mail                       → E-Mail (geschäftlich)\n",
			importSummary: "Import Nr. 1 (Erledigt): 3 von 3 Zeilen verarbeitet. 2 angelegt, 0 aktualisiert, 0 unverändert, 1 abgelehnt.\n",
			rejected:      "  Zeile 4: ",
			sweep:         `^Aufbewahrungsprüfung: 2 Kontakte in \d+( ms|,\d s) auf die Prüfliste gesetzt\.\n$`,
			revert:        "Import Nr. 1 rückgängig gemacht: 2 Kontakte entfernt, 0 wiederhergestellt.\n",
			help:          "Aufruf: rapport <Befehl> [Optionen]",
		}},
		{"en_US.UTF-8", want{
			usage:   "rapport: Usage: rapport privacy sweep\n",
			unknown: "rapport: Unknown command “frobnicate”; run 'rapport --help'.\n",
			invalid: "rapport: invalid input:\n  --email: Enter an e-mail address like name@example.com.\n",
			created: "Created Ada Größe <admin@example.com> (Admin).\n",
			importHead: "Import #1: liste.csv, csv (utf-8, delimiter “;”)\n" +
				"  Vorname                      → First name\n  Nachname                     → Last name\n  E-Mail                       → E-mail (work)\n",
			importSummary: "Import #1 (Done): 3 of 3 rows processed. 2 created, 0 updated, 0 unchanged, 1 rejected.\n",
			rejected:      "  row 4: ",
			sweep:         `^Retention sweep: 2 contacts added to the review list in \d+( ms|\.\d s)\.\n$`,
			revert:        "Reverted import #1: 2 contacts removed, 0 restored.\n",
			help:          "Usage: rapport <command> [flags]",
		}},
	}
	for _, l := range langs {
		t.Run(l.lang, func(t *testing.T) {
			german := strings.HasPrefix(l.lang, "de")
			t.Setenv("LANG", l.lang)
			dir := t.TempDir()
			t.Setenv("RAPPORT_DATA_DIR", dir)
			t.Setenv("RAPPORT_DATABASE_URL", "")
			t.Setenv("RAPPORT_PASSWORD", "")
			heard := map[string]bool{}
			if german {
				locale.Strict(true)
				defer locale.Strict(false)
				locale.Missing()
				said = func(id string) { heard[id] = true }
				defer func() { said = nil }()
			}
			w := l.want
			if _, e, _ := cliRun(t, "", "privacy"); e != w.usage {
				t.Errorf("usage error: %q, want %q", e, w.usage)
			}
			if _, e, _ := cliRun(t, "", "frobnicate"); e != w.unknown {
				t.Errorf("unknown command: %q, want %q", e, w.unknown)
			}
			if o, _, _ := cliRun(t, ""); !strings.Contains(o, w.help) {
				t.Errorf("help: %q lacks %q", o, w.help)
			}
			if _, _, err := cliRun(t, "", "migrate"); err != nil {
				t.Fatal(err)
			}
			if _, e, _ := cliRun(t, "", "user", "add", "--email", "x", "--name", "Ada", "--role", "admin", "--password", "a long enough password"); e != w.invalid {
				t.Errorf("invalid input: %q, want %q", e, w.invalid)
			}
			o, e, err := cliRun(t, "a long enough password\n", "user", "add", "--email", "Admin@Example.com", "--name", "Ada Größe", "--role", "admin")
			if err != nil || o != w.created {
				t.Errorf("user add: %q %q %v, want %q", o, e, err, w.created)
			}
			file := filepath.Join(dir, "liste.csv")
			csv := "Vorname;Nachname;E-Mail\nAda;Lovelace;ada@example.de\nBert;Brecht;bert@example.de\nCarla;Kaputt;kein-at-zeichen\n"
			if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			o, e, err = cliRun(t, "", "import", file)
			if err != nil || o[:strings.Index(o, "\n")+1] != w.importSummary || !strings.HasPrefix(e, w.importHead) {
				t.Errorf("import: stdout %q, stderr %q, %v; want %q and %q", o, e, err, w.importSummary, w.importHead)
			}
			if rest := o[strings.Index(o, "\n")+1:]; !strings.HasPrefix(rest, w.rejected) || strings.Count(rest, "\n") != 1 {
				t.Errorf("rejected rows: %q, want one line starting %q", rest, w.rejected)
			}
			ageContacts(t, filepath.Join(dir, "rapport.db"))
			o, e, err = cliRun(t, "", "privacy", "sweep")
			if err != nil || !regexp.MustCompile(w.sweep).MatchString(o) {
				t.Errorf("privacy sweep: %q %q %v, want %s", o, e, err, w.sweep)
			}
			if o, e, err = cliRun(t, "", "import", "--revert", "1"); err != nil || o != w.revert {
				t.Errorf("revert: %q %q %v, want %q", o, e, err, w.revert)
			}
			for _, args := range [][]string{{"serve", "--help"}, {"import", "--help"}, {"export", "--help"}, {"user", "add", "--help"},
				{"demo", "--help"}, {"health", "--help"}, {"privacy", "sweep", "--help"}, {"backup", "--help"}} {
				cliRun(t, "", args...)
			}
			if !german {
				return
			}
			if m := locale.Missing(); len(m) > 0 {
				sort.Strings(m)
				t.Errorf("messages missing from a catalogue: %q", m)
			}
			var untranslated []string
			for id := range heard {
				if !locale.Get(locale.German).Has(id) {
					untranslated = append(untranslated, id)
				}
			}
			sort.Strings(untranslated)
			if len(untranslated) > 0 || len(heard) < 40 {
				t.Errorf("%d messages heard; without a German entry: %q", len(heard), untranslated)
			}
		})
	}
}

// ageContacts makes every contact two months old without a lawful basis,
// so the retention sweep finds them due.
func ageContacts(t *testing.T, path string) {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec("UPDATE contacts SET lawful_basis = 'none', created_at = ?", time.Now().AddDate(0, -2, 0).UTC()); err != nil {
		t.Fatal(err)
	}
}

// TestCLINumbersAndDurations: counts carry the locale's thousands separator
// and durations its decimal mark.
func TestCLINumbersAndDurations(t *testing.T) {
	de := locale.With(t.Context(), locale.Get(locale.German))
	en := locale.With(t.Context(), locale.Get(locale.English))
	for _, c := range []struct{ got, want string }{
		{summary(de, 1234, 5, 0, 12000, 1), "1.234 angelegt, 5 aktualisiert, 0 Dubletten zusammengeführt, 12.000 unverändert, 1 abgelehnt."},
		{summary(en, 1234, 5, -1, 12000, 1), "1,234 created, 5 updated, 12,000 unchanged, 1 rejected."},
		{took(de, 1234*time.Millisecond), "1,2 s"},
		{took(en, 1234*time.Millisecond), "1.2 s"},
		{took(de, 850*time.Millisecond), "850 ms"},
		{took(de, 125*time.Second), "2 min 5 s"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
