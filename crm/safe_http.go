package crm

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned for a URL whose host is a loopback, private
// or link-local address, which Rapport's fetchers do not request unless allowed.
var ErrPrivateAddress = errors.New("the address is on a private network")

// errTooManyRedirects ends a chain of redirects longer than a fetcher allows.
var errTooManyRedirects = errors.New("too many redirects")

// internalNets are ranges that reach no public host besides those netip
// names: shared address space of carrier NAT (100.64.0.0/10, which holds
// cloud metadata services such as 100.100.100.200), NAT64 (64:ff9b::/96
// and the local-use 64:ff9b:1::/48, which reach IPv4 addresses behind the
// translator, private ones included), benchmarking (198.18.0.0/15), "this
// network" (0.0.0.0/8), IETF protocol assignments (192.0.0.0/24) and the
// reserved 240.0.0.0/4.
var internalNets = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("64:ff9b::/96"), netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// PublicAddress reports whether a is an address on the public internet: not
// loopback, private, link-local, multicast, unspecified or one of
// internalNets (an IPv4-mapped IPv6 address counts as its IPv4 address).
// Rapport's fetchers and webhook deliveries connect only to such addresses
// unless an admin allows private ones.
func PublicAddress(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range internalNets {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// safeClient is the one HTTP client Rapport fetches other people's pages
// and feeds with: it refuses to connect to loopback, private, link-local,
// multicast and unspecified addresses unless allowPrivate (an admin setting:
// RAPPORT_FETCH_PRIVATE), checking the address actually dialled, so a name
// that resolves to one, or a redirect to one, is refused too; no proxy;
// timeout bounds the whole request and redirects their number.
func safeClient(allowPrivate bool, timeout time.Duration, redirects, idle int) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if !allowPrivate && (err != nil || !PublicAddress(ip)) {
			return ErrPrivateAddress
		}
		return nil
	}}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil,
		ResponseHeaderTimeout: timeout, MaxIdleConns: idle, MaxIdleConnsPerHost: max(2, idle/4)},
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= redirects {
				return fmt.Errorf("%w (more than %d)", errTooManyRedirects, redirects)
			}
			return nil
		}}
}
