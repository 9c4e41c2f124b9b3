package handlers_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/search"
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
	frozen chan struct{} // closed while traffic flows; a fresh one freezes it
}

// freeze stops forwarding bytes in both directions while every connection
// stays open: what a database stopped with SIGSTOP looks like.
func (p *pgProxy) freeze() {
	p.mu.Lock()
	p.frozen = make(chan struct{})
	p.mu.Unlock()
}

// thaw lets bytes flow again.
func (p *pgProxy) thaw() {
	p.mu.Lock()
	if p.frozen != nil {
		close(p.frozen)
		p.frozen = nil
	}
	p.mu.Unlock()
}

// pipe copies src to dst, holding every chunk while the proxy is frozen.
func (p *pgProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			wait := p.frozen
			p.mu.Unlock()
			if wait != nil {
				<-wait
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
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
			go p.pipe(s, c)
			go p.pipe(c, s)
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

// proxiedApp serves the app on a fresh PostgreSQL database reached through
// a pgProxy (with params added to the URL), signed in as a staff user whose
// contact list loads.
func proxiedApp(t *testing.T, params url.Values) (*pgProxy, *browser, *clock) {
	t.Helper()
	u, _ := url.Parse(dbtest.CreatePostgres(t))
	proxy := &pgProxy{t: t, addr: "127.0.0.1:0", target: u.Host}
	proxy.start()
	t.Cleanup(proxy.stop)
	u.Host = proxy.addr
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	d, err := db.Open(context.Background(), u.String(), "", search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now()}
	cfg := handlers.DefaultConfig
	cfg.Now = clk.Now
	a := newAppWith(t, d, cfg)
	a.user("anna@example.com", "staff")
	b := a.browser()
	b.login("anna@example.com")
	wantStatus(t, b.get("/contacts"), http.StatusOK)
	return proxy, b, clk
}

// TestDatabaseOutage: while PostgreSQL is unreachable every page answers 503
// with Retry-After (no other 5xx, no hang), and the app recovers by itself.
func TestDatabaseOutage(t *testing.T) {
	proxy, b, clk := proxiedApp(t, nil)

	proxy.stop()
	clk.advance(3 * time.Second) // past the sign-in cached before the outage (a cached list would still serve)
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

// TestFrozenDatabase: with PostgreSQL frozen (SIGSTOP: connections open, no
// answer) requests hung for the whole freeze (issue 20, item 9). Each
// statement has a deadline: the page answers 503 with Retry-After soon after
// the statement timeout, and the app recovers when the database thaws.
func TestFrozenDatabase(t *testing.T) {
	proxy, b, clk := proxiedApp(t, url.Values{"statement_timeout": {"500"}}) // ms; the default is db.DefaultStatementTimeout
	t.Cleanup(proxy.thaw)

	proxy.freeze()
	clk.advance(3 * time.Second) // past the sign-in cached before the freeze
	for _, path := range []string{"/", "/contacts", "/healthz"} {
		start := time.Now()
		p := b.get(path)
		if p.status != http.StatusServiceUnavailable {
			t.Errorf("%s while frozen: status %d, want 503", path, p.status)
		}
		if took := time.Since(start); took > 8*time.Second {
			t.Errorf("%s while frozen took %v", path, took)
		}
	}
	proxy.thaw()
	deadline := time.Now().Add(10 * time.Second)
	for b.get("/contacts").status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("no recovery after the database thawed")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRequestDeadline: a request that outlives its deadline answers 503
// with Retry-After on both databases, and nothing is half-shown.
func TestRequestDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		cfg := handlers.DefaultConfig
		cfg.RequestTimeout = time.Nanosecond
		b.base = newAppWith(t, d, cfg).srv.URL // the same session (cookies ignore the port), no time to work
		p := b.get("/contacts")
		if p.status != http.StatusServiceUnavailable || p.header.Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After\n%.600s", p.status, p.header.Get("Retry-After"), p.body)
		}
		if !strings.Contains(p.body, "Temporarily unavailable") {
			t.Errorf("no 503 page:\n%.1500s", p.body)
		}
	})
}
