package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// testCert is a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// TestTLSModes: the digest goes out over STARTTLS and over implicit TLS,
// signing in with the saved user and password (PLAIN, only over TLS).
func TestTLSModes(t *testing.T) {
	cert, pool := testCert(t)
	for _, mode := range []string{notify.TLSStartTLS, notify.TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				mb := &mailbox{user: "rapport", pass: "s3cret"}
				s := smtp.NewServer(mb)
				s.Domain = "localhost"
				s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
				var l net.Listener
				var err error
				if mode == notify.TLSImplicit {
					l, err = tls.Listen("tcp", "127.0.0.1:0", s.TLSConfig)
				} else {
					l, err = net.Listen("tcp", "127.0.0.1:0")
				}
				if err != nil {
					t.Fatal(err)
				}
				go func() { _ = s.Serve(l) }()
				t.Cleanup(func() { _ = s.Close() })
				_, port, _ := net.SplitHostPort(l.Addr().String())
				p, _ := strconv.Atoi(port)
				clk := newClock("2026-12-05T08:00:00Z")
				svc := notify.New(d.Client, notify.Options{SMTP: notify.SMTP{Host: "127.0.0.1", Port: p, TLS: mode, User: "rapport", Password: "s3cret",
					From: "rapport@example.com"}, BaseURL: "https://rapport.example.com", Zone: time.UTC, DigestHour: 7, Now: clk.Now,
					Timeout: 5 * time.Second, TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
				_, en := digestSetup(t, d)
				if _, err := svc.Digests(ctx); err != nil {
					t.Fatal(err)
				}
				if n, err := svc.Deliver(ctx); err != nil || n != 2 {
					t.Fatalf("sent %d, %v over %s", n, err, mode)
				}
				if got := mb.to(en.Email); len(got) != 1 || !got[0].TLS || !got[0].Authed {
					t.Errorf("over %s: %+v", mode, got)
				}
			})
		})
	}
}
