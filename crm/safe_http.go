package crm

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned for a URL whose host is a loopback, private
// or link-local address, which Rapport's fetchers do not request unless allowed.
var ErrPrivateAddress = errors.New("the address is on a private network")

// errTooManyRedirects ends a chain of redirects longer than a fetcher allows.
var errTooManyRedirects = errors.New("too many redirects")

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
		ip := net.ParseIP(host)
		if !allowPrivate && (ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() ||
			ip.IsLinkLocalMulticast() || ip.IsMulticast()) {
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
