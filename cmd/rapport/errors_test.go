package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
)

// cliErr runs a command that must fail and returns what main prints.
func cliErr(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	err := run(t.Context(), args, strings.NewReader(stdin), io.Discard, io.Discard)
	if err == nil {
		t.Fatalf("%v succeeded", args)
	}
	var b bytes.Buffer
	report(t.Context(), &b, err)
	if s := b.String(); strings.Contains(s, "marked") || strings.Contains(s, "from the list") {
		t.Errorf("%v prints web wording: %q", args, s)
	}
	return b.String()
}

// TestCLIErrorsNameFlags: the commands print a validation error as one
// "--flag: message" line per field, without the web's form wording.
func TestCLIErrorsNameFlags(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAPPORT_DATABASE_URL", "")
	t.Setenv("RAPPORT_DATA_DIR", dir)
	t.Setenv("RAPPORT_PASSWORD", "")
	if err := run(t.Context(), []string{"migrate"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	got := cliErr(t, "", "user", "add", "--email", "x", "--name", "Ada", "--role", "boss", "--password", "short")
	want := "rapport: invalid input:\n" +
		"  --email: Enter an e-mail address like name@example.com.\n" +
		"  --password: Use at least 12 characters.\n" +
		"  --role: Choose admin, manager or staff.\n"
	if got != want {
		t.Errorf("user add:\n%s\nwant\n%s", got, want)
	}
	if err := run(t.Context(), []string{"user", "add", "--email", "admin@example.com", "--name", "Ada", "--role", "admin", "--password", "a long enough password"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	got = cliErr(t, "", "export", "--query", "", "--format", "pdf", "--columns", "shoe_size", "--purpose", "x", "--out", filepath.Join(dir, "x.csv"))
	for _, line := range []string{"rapport: invalid input:\n",
		"\n  --format: Use one of csv, excel-de, xlsx, vcard, mailchimp, listmonk.\n",
		"\n  --columns: Use columns from: id, first_name, ",
		"\n  --purpose: Say what the export is for"} {
		if !strings.Contains(got, line) {
			t.Errorf("export: %q lacks %q", got, line)
		}
	}

	file := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(file, []byte("E-Mail\tVorname\nada@example.de\tAda\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := cliErr(t, "", "import", file, "--encoding", "latin9"); got != "rapport: --encoding: use one of utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1, iso-8859-15, not “latin9”.\n" {
		t.Errorf("import --encoding: %q", got)
	}
	got = cliErr(t, "", "import", file, "--dry-run", "--save-mapping", strings.Repeat("x", 101))
	if !strings.HasSuffix(got, "rapport: invalid input:\n  --save-mapping: Name the mapping in 1 to 100 characters.\n") {
		t.Errorf("import --save-mapping: %q", got)
	}
	// --delimiter tab, as its help says, is the tab character.
	var out bytes.Buffer
	if err := run(t.Context(), []string{"import", file, "--dry-run", "--delimiter", "tab"}, nil, &out, io.Discard); err != nil {
		t.Fatalf("--delimiter tab: %v", err)
	}
	if !strings.Contains(out.String(), "1 created") {
		t.Errorf("dry run: %q", out.String())
	}
}

// TestReportKeepsContext: what wraps a validation error stays in front of
// it; other errors print as they are.
func TestReportKeepsContext(t *testing.T) {
	var b bytes.Buffer
	report(t.Context(), &b, fmt.Errorf("row 3: %w", crm.FieldErrors{"first_name": "Too long."}.Err()))
	if got := b.String(); got != "rapport: row 3: invalid input:\n  first_name: Too long.\n" {
		t.Errorf("%q", got)
	}
	b.Reset()
	report(t.Context(), &b, crm.NewError(crm.ENotFound, "No segment named “{{.Name}}” that you may use.", "Name", "x"))
	if got := b.String(); got != "rapport: No segment named “x” that you may use.\n" {
		t.Errorf("%q", got)
	}
}
