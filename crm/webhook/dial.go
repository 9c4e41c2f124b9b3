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
	a := ap.Addr().Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() ||
		a.IsUnspecified() || a.IsInterfaceLocalMulticast() || carrierNAT.Contains(a) || a == metadata {
		return fmt.Errorf("webhook dial %s: %w", a, ErrPrivateAddress)
	}
	return nil
}

var (
	carrierNAT = netip.MustParsePrefix("100.64.0.0/10")
	metadata   = netip.MustParseAddr("169.254.169.254")
)

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
