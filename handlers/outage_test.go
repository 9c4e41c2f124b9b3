package handlers_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// pgProxy forwards TCP to PostgreSQL and can be cut and restored on the same
// address, which looks to the app exactly like the database going away.
type pgProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *pgProxy) start() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *pgProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestDatabaseOutage: while PostgreSQL is unreachable every page answers 503
// with Retry-After (no other 5xx, no hang), and the app recovers by itself.
func TestDatabaseOutage(t *testing.T) {
	raw := dbtest.CreatePostgres(t)
	u, _ := url.Parse(raw)
	proxy := &pgProxy{t: t, addr: "127.0.0.1:0", target: u.Host}
	proxy.start()
	t.Cleanup(proxy.stop)
	u.Host = proxy.addr
	d, err := db.Open(context.Background(), u.String(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, d)
	a.user("anna@example.com", "staff")
	b := a.browser()
	b.login("anna@example.com")
	wantStatus(t, b.get("/contacts"), http.StatusOK)

	proxy.stop()
	for _, path := range []string{"/", "/contacts", "/contacts/1", "/outlets", "/healthz"} {
		start := time.Now()
		p := b.get(path)
		if p.status != http.StatusServiceUnavailable {
			t.Errorf("%s during outage: status %d, want 503", path, p.status)
		}
		if path != "/healthz" && p.header.Get("Retry-After") == "" {
			t.Errorf("%s during outage: no Retry-After", path)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s during outage took %v", path, time.Since(start))
		}
	}
	if p := b.post("/contacts", contactForm()); p.status != http.StatusServiceUnavailable && p.status != http.StatusForbidden {
		t.Errorf("POST during outage: %d", p.status)
	}

	proxy.start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := b.get("/contacts")
		if p.status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the database returned: %d", p.status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
