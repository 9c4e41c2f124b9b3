package crm

import (
	"net/netip"
	"testing"
)

// TestPublicAddress: the one rule of where Rapport's fetchers and webhook
// deliveries may connect (the fetcher let 100.100.100.200, NAT64 and the
// benchmarking and reserved ranges through, which the webhook dialer
// refused in part).
func TestPublicAddress(t *testing.T) {
	for addr, public := range map[string]bool{
		"93.184.215.14": true, "2606:4700:4700::1111": true, "::ffff:93.184.215.14": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fc00::1": false, "0.0.0.0": false, "::": false,
		"224.0.0.1": false, "ff02::1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false,
		"100.64.0.1": false, "100.100.100.200": false, "64:ff9b::a9fe:a9fe": false, "64:ff9b:1::1": false,
		"198.18.0.1": false, "198.19.255.255": false, "240.0.0.1": false, "255.255.255.255": false,
		"0.1.2.3": false, "192.0.0.170": false, "100.128.0.1": true, "198.20.0.1": true,
	} {
		if got := PublicAddress(netip.MustParseAddr(addr)); got != public {
			t.Errorf("PublicAddress(%s) = %v, want %v", addr, got, public)
		}
	}
}
