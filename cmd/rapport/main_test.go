package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestMain runs the tests in English, whatever the machine's language; the
// tests of the language set it themselves.
func TestMain(m *testing.M) {
	for _, k := range langVars {
		os.Unsetenv(k)
	}
	os.Setenv("LANG", "en_US.UTF-8")
	os.Exit(m.Run())
}

func TestInvalidSettingsStopWithOneLine(t *testing.T) {
	cases := []struct {
		name, env, val string
		args           []string
		want           string
	}{
		{"err_addr", "RAPPORT_ADDR", "8080", []string{"serve"}, "RAPPORT_ADDR must be HOST:PORT"},
		{"err_database_url", "RAPPORT_DATABASE_URL", "mysql://x", []string{"migrate"}, "must start with postgres://"},
		{"err_secure_cookies", "RAPPORT_SECURE_COOKIES", "yes please", []string{"serve"}, "RAPPORT_SECURE_COOKIES"},
		{"err_session_idle", "RAPPORT_SESSION_IDLE", "forever", []string{"serve"}, "RAPPORT_SESSION_IDLE"},
		{"err_flag_addr", "", "", []string{"serve", "--addr", "nowhere"}, "RAPPORT_ADDR must be HOST:PORT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv(c.env, c.val)
			}
			t.Setenv("RAPPORT_DATA_DIR", t.TempDir())
			err := run(t.Context(), c.args, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q, want one line containing %q", err, c.want)
			}
		})
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "--help"}, {"user", "add", "--help"}, {"demo", "--help"}} {
		var out bytes.Buffer
		err := run(t.Context(), args, strings.NewReader(""), io.Discard, &out)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Usage: rapport "+args[0]) {
			t.Errorf("%v: err %v, output %q", args, err, out.String())
		}
	}
}

func TestUserAdd(t *testing.T) {
	t.Setenv("RAPPORT_DATA_DIR", t.TempDir())
	ctx := t.Context()
	if err := run(ctx, []string{"migrate"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := []string{"user", "add", "--email", "Admin@Example.com", "--name", "Ada Größe", "--role", "admin"}
	if err := run(ctx, args, strings.NewReader("a long enough password\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "Created Ada Größe <admin@example.com> (Admin).\n" {
		t.Errorf("output %q", got)
	}
	err := run(ctx, args, strings.NewReader("a long enough password\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("duplicate user: %v", err)
	}
	t.Setenv("RAPPORT_PASSWORD", "short")
	err = run(ctx, []string{"user", "add", "--email", "b@example.com", "--name", "B", "--role", "staff"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Errorf("short password: %v", err)
	}
}

// TestServeAndShutdown starts `rapport serve` on the embedded database, checks
// /healthz, then cancels (SIGTERM does the same) and expects a clean exit.
func TestServeAndShutdown(t *testing.T) {
	t.Setenv("RAPPORT_DATA_DIR", t.TempDir())
	ctx, cancel := context.WithCancel(t.Context())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, nil, out, io.Discard) }()
	addr := regexp.MustCompile(`http://[0-9.:]+`)
	deadline := time.Now().Add(20 * time.Second)
	for addr.FindString(out.String()) == "" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	base := addr.FindString(out.String())
	if base == "" {
		t.Fatalf("server did not start: %q", out.String())
	}
	if !strings.Contains(out.String(), "No users yet") {
		t.Errorf("no hint to create the first admin: %q", out.String())
	}
	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestServeRefusesPendingMigrations on PostgreSQL, unless told to migrate.
func TestServeRefusesPendingMigrations(t *testing.T) {
	t.Setenv("RAPPORT_DATABASE_URL", dbtest.CreatePostgres(t))
	err := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "pending migrations") {
		t.Fatalf("serve on an unmigrated PostgreSQL: %v", err)
	}
}
