package db

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// DefaultStatementTimeout is how long PostgreSQL lets one statement run
// (the DSN's statement_timeout, in milliseconds, overrides it).
const DefaultStatementTimeout = 30 * time.Second

// stallGrace is how much longer than the statement timeout the client waits
// for any answer from the server before it gives the connection up.
const stallGrace = 2 * time.Second

// statementTimeout sets statement_timeout on q unless it is set, and returns
// it; 0 (set by Unbounded) means no timeout.
func statementTimeout(q url.Values) (time.Duration, error) {
	v := q.Get("statement_timeout")
	if v == "" {
		q.Set("statement_timeout", strconv.FormatInt(DefaultStatementTimeout.Milliseconds(), 10))
		return DefaultStatementTimeout, nil
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms < 0 {
		return 0, fmt.Errorf("statement_timeout in the database URL must be milliseconds, e.g. 30000")
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Unbounded returns the PostgreSQL URL raw with statement_timeout=0: no
// statement timeout and no read deadline, for batch commands (demo, reindex,
// import, export, health) whose statements may run for minutes. Any other
// URL is returned as it is.
func Unbounded(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !IsPostgresURL(raw) {
		return raw
	}
	q := u.Query()
	q.Set("statement_timeout", "0")
	u.RawQuery = q.Encode()
	return u.String()
}

// deadlineDialer dials PostgreSQL connections that give up a read after
// stall: a server that stops answering (frozen, or a network that drops
// packets) ends the statement with an error instead of hanging the request,
// which a context cannot do once lib/pq waits on the socket.
type deadlineDialer struct {
	stall time.Duration
	d     net.Dialer
}

func (d deadlineDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d deadlineDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

func (d deadlineDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	return deadlineConn{Conn: c, stall: d.stall}, nil
}

// deadlineConn sets a fresh read deadline before every read: an idle pooled
// connection reads nothing, a long result keeps arriving in time.
type deadlineConn struct {
	net.Conn
	stall time.Duration
}

func (c deadlineConn) Read(b []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.stall)); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}
