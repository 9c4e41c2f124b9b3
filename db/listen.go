package db

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/lib/pq"
)

// Listen LISTENs on channel of the PostgreSQL database at rawURL and calls
// on, from one goroutine, with the payload of every notification, and with
// lost true after the connection came back from a loss (notifications may
// have been missed meanwhile). It returns once LISTEN is in place (or with
// the error that kept it from being), and listens until ctx ends.
func Listen(ctx context.Context, rawURL, channel string, log *slog.Logger, on func(payload string, lost bool)) error {
	connected := make(chan struct{})
	var once sync.Once
	l := pq.NewListener(listenDSN(rawURL), 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		if ev == pq.ListenerEventConnected {
			once.Do(func() { close(connected) })
		}
		if err != nil && ctx.Err() == nil && log != nil {
			log.Warn("database listener", "channel", channel, "event", ev, "err", err)
		}
	})
	if err := l.Listen(channel); err != nil {
		l.Close()
		return fmt.Errorf("listen on %s: %w", channel, err)
	}
	// A LISTEN sent before the first connection runs when it is made, just
	// before the connected event.
	select {
	case <-connected:
	case <-ctx.Done():
		l.Close()
		return ctx.Err()
	case <-time.After(10 * time.Second):
		l.Close()
		return fmt.Errorf("listen on %s: no connection within 10 s", channel)
	}
	go func() {
		defer l.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case n := <-l.Notify: // nil after a reconnect
				if n == nil {
					on("", true)
				} else {
					on(n.Extra, false)
				}
			case <-time.After(90 * time.Second):
				go func() { _ = l.Ping() }()
			}
		}
	}()
	return nil
}

// listenDSN gives a loopback URL without sslmode the sslmode=disable that
// Open gives it, since lib/pq would otherwise insist on TLS.
func listenDSN(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if q := u.Query(); q.Get("sslmode") == "" && isLoopback(u.Hostname()) {
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
