package main

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/locale"
)

// TestTrustedProxies: RAPPORT_TRUSTED_PROXIES takes addresses and networks
// (IPv4, IPv6, mapped IPv4), and a wrong entry stops the program with the
// entry named, in German for a German terminal.
func TestTrustedProxies(t *testing.T) {
	got, err := proxies(t.Context(), " 127.0.0.1, 10.1.2.3/8 ,::1,::ffff:192.0.2.7,")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("192.0.2.7/32")}
	if !slices.Equal(got, want) {
		t.Errorf("proxies = %v, want %v", got, want)
	}
	if got, err := proxies(t.Context(), ""); err != nil || got != nil {
		t.Errorf("empty: %v, %v", got, err)
	}
	de := locale.With(context.Background(), locale.Get(locale.German))
	_, err = proxies(de, "127.0.0.1,proxy.internal")
	if err == nil || !strings.Contains(err.Error(), "RAPPORT_TRUSTED_PROXIES muss Adressen oder Netze") || !strings.Contains(err.Error(), "„proxy.internal“") {
		t.Errorf("a host name: %v", err)
	}
}

// TestWebhooksPrivateSetting: RAPPORT_WEBHOOKS_ALLOW_PRIVATE is read like
// every other switch: 1 or 0, anything else stops the program (it was
// parsed with its error ignored, so "yes" meant off without a word).
func TestWebhooksPrivateSetting(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "1": true} {
		t.Setenv("RAPPORT_WEBHOOKS_ALLOW_PRIVATE", v)
		cfg, err := defaultConfig(t.Context())
		if err != nil || cfg.WebhooksPrivate != want {
			t.Errorf("%q: %v, %v", v, cfg.WebhooksPrivate, err)
		}
	}
	t.Setenv("RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "yes")
	if _, err := defaultConfig(t.Context()); err == nil || !strings.Contains(err.Error(), "RAPPORT_WEBHOOKS_ALLOW_PRIVATE must be 1 or 0") {
		t.Errorf("yes: %v", err)
	}
}
