package db_test

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// TestStatementTimeout: a server's pool gives every statement the default
// timeout, the URL may change it, and batch commands (Unbounded) have none.
func TestStatementTimeout(t *testing.T) {
	raw := dbtest.CreatePostgres(t)
	for _, tc := range []struct{ name, url, want string }{
		{"default", raw, "30s"},
		{"from_url", raw + "&statement_timeout=1500", "1500ms"},
		{"unbounded", db.Unbounded(raw), "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := db.Open(context.Background(), tc.url, "", search.Outbox(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var got string
			if err := d.SQL.QueryRow("SHOW statement_timeout").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("statement_timeout %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := db.Open(context.Background(), raw+"&statement_timeout=soon", "", search.Outbox(), nil); err == nil {
		t.Error("a statement_timeout that is not milliseconds was accepted")
	}
}
