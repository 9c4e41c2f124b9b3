package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/rapport-crm/rapport/crm"
)

// ErrPrivateAddress is the refusal to connect to a private, loopback,
// link-local or otherwise internal address.
var ErrPrivateAddress = errors.New("refused: the address is private or local")

// publicOnly is a dialer's Control: it runs after the name is resolved, on
// the address about to be connected, so a name that resolves (or re-resolves)
// to an internal address is refused too.
func publicOnly(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook dial %q: %w", address, ErrPrivateAddress)
	}
	if a := ap.Addr().Unmap(); !crm.PublicAddress(a) {
		return fmt.Errorf("webhook dial %s: %w", a, ErrPrivateAddress)
	}
	return nil
}

// newClient returns the HTTP client of deliveries: a timeout, no redirects
// (a 3xx is a failure), and unless allowPrivate only public addresses.
func newClient(allowPrivate bool, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = publicOnly
	}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}, Proxy: nil, MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: timeout}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
