package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	mail "github.com/wneessen/go-mail"

	"github.com/rapport-crm/rapport/ent"
)

// TLS modes of the SMTP connection.
const (
	TLSNone     = "none"     // plain text (a relay on the same host or network)
	TLSStartTLS = "starttls" // upgrade with STARTTLS, required (port 587)
	TLSImplicit = "implicit" // TLS from the first byte (port 465)
)

// SMTP is the mail server notifications go through. It is an
// administrator's setting (like the database URL), so a relay on loopback or
// a private network is allowed: the private-address rule of crm's fetchers
// guards URLs that users and imports supply, not the operator's own servers.
type SMTP struct {
	Host     string
	Port     int
	TLS      string // TLSNone, TLSStartTLS or TLSImplicit
	User     string
	Password string // never logged, never shown back
	From     string // the sender: "Rapport <rapport@example.com>"
}

// Enabled reports whether a mail server is set.
func (c SMTP) Enabled() bool { return c.Host != "" }

// Check reports what is wrong with the settings, or nil.
func (c SMTP) Check() error {
	if !c.Enabled() {
		return nil
	}
	switch {
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("the SMTP port must be 1–65535, not %d", c.Port)
	case c.TLS != TLSNone && c.TLS != TLSStartTLS && c.TLS != TLSImplicit:
		return fmt.Errorf("the SMTP TLS mode must be none, starttls or implicit, not %q", c.TLS)
	case c.From == "":
		return errors.New("the SMTP sender (From) is required")
	}
	m := mail.NewMsg()
	if err := m.From(c.From); err != nil {
		return fmt.Errorf("the SMTP sender %q is not an address: %w", c.From, err)
	}
	return nil
}

// client is a go-mail client for the settings.
func (c SMTP) client(s *Service) (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(s.opt.Timeout), mail.WithoutNoop()}
	switch c.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if s.opt.TLSConfig != nil {
		opts = append(opts, mail.WithTLSConfig(s.opt.TLSConfig))
	}
	if c.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(c.User), mail.WithPassword(c.Password))
	}
	return mail.NewClient(c.Host, opts...)
}

// message builds the mail of n: plain text, a Message-ID made from its
// unique key (the same on a retry, so a mail client can tell a duplicate),
// and the List-Unsubscribe headers of RFC 2369 and RFC 8058 (one click).
func (s *Service) message(ctx context.Context, n *ent.Notification) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.From(s.conf().SMTP.From); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := m.To(n.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	m.Subject(n.Subject)
	m.SetDateWithValue(s.opt.Now())
	sum := sha256.Sum256([]byte(n.Key))
	m.SetMessageIDWithValue(hex.EncodeToString(sum[:12]) + "@" + domainOf(s.conf().SMTP.From))
	unsub, err := s.unsubscribeURL(ctx, n.UserID, string(n.Kind))
	if err != nil {
		return nil, err
	}
	m.SetGenHeader(mail.HeaderListUnsubscribe, "<"+unsub+">")
	m.SetGenHeader(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetUserAgent("Rapport")
	m.SetBodyString(mail.TypeTextPlain, n.Body)
	return m, nil
}

// send makes one SMTP conversation that delivers n.
func (s *Service) send(ctx context.Context, n *ent.Notification) error {
	m, err := s.message(ctx, n)
	if err != nil {
		return err
	}
	c, err := s.conf().SMTP.client(s)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	return c.DialAndSendWithContext(ctx, m)
}

func domainOf(from string) string {
	from = strings.TrimRight(from, "> ")
	if i := strings.LastIndex(from, "@"); i >= 0 {
		return from[i+1:]
	}
	return "rapport.invalid"
}
