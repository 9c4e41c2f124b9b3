package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/search"
)

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAPPORT_DATA_DIR", dir)
	t.Setenv("RAPPORT_PASSWORD", "a long enough password")
	ctx := t.Context()
	if err := run(ctx, []string{"migrate"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"user", "add", "--email", "admin@example.com", "--name", "Ada", "--role", "admin"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(context.Background(), "", dir, search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []crm.ContactInput{
		{FirstName: "Jürgen", LastName: "Müller", Emails: []crm.EmailInput{{Address: "jm@example.de"}}},
		{FirstName: "Dora", LastName: "Nein", DoNotContact: true},
		{FirstName: "Eva", LastName: "@Evil", Emails: []crm.EmailInput{{Address: "eva@example.de"}}},
	} {
		if _, err := crm.CreateContact(ctx, d.Client, c); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()

	out := filepath.Join(dir, "out.csv")
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"export", "--query", "", "--format", "csv", "--purpose", "Newsletter Dezember", "--out", out}, nil, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "Left out: 1 marked do-not-contact") || !strings.Contains(stdout.String(), "Exported 2 contacts") {
		t.Errorf("summary: %q %q", stdout.String(), stderr.String())
	}
	f, _ := os.Open(out)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("%v %q", err, recs)
	}
	if recs[1][2] != "'@Evil" && recs[2][2] != "'@Evil" {
		t.Errorf("formula not neutralised: %q", recs)
	}
	err = run(ctx, []string{"export", "--query", "", "--format", "csv", "--out", out}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "purpose") {
		t.Errorf("export without a purpose: %v", err)
	}
	err = run(ctx, []string{"export", "--segment", "Nope", "--purpose", "x y z", "--out", out}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "No segment named") {
		t.Errorf("unknown segment: %v", err)
	}
}
