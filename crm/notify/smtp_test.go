package notify_test

import (
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/rapport-crm/rapport/crm/notify"
)

// mailbox is an SMTP server inside the test (go-smtp, on a loopback port)
// that keeps what it accepts and can refuse messages first.
type mailbox struct {
	mu   sync.Mutex
	got  []received
	fail int // refuse this many messages with 451 first
	addr string
	user string // when set, PLAIN sign-in with user and pass is required
	pass string
}

type received struct {
	TLS, Authed bool
	From, To    string
	Header      mail.Header
	Subject     string
	Body        string
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{}
	s := smtp.NewServer(mb)
	s.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = l.Addr().String()
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return mb
}

// settings are SMTP settings that reach the mailbox, without TLS.
func (mb *mailbox) settings() notify.SMTP {
	host, port, _ := net.SplitHostPort(mb.addr)
	p, _ := strconv.Atoi(port)
	return notify.SMTP{Host: host, Port: p, TLS: notify.TLSNone, From: "Rapport <rapport@example.com>"}
}

func (mb *mailbox) messages() []received {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]received(nil), mb.got...)
}

// to are the messages to address.
func (mb *mailbox) to(addr string) []received {
	var out []received
	for _, m := range mb.messages() {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

func (mb *mailbox) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{mb: mb, conn: c}, nil
}

type session struct {
	mb       *mailbox
	conn     *smtp.Conn
	from, to string
	authed   bool
}

// AuthMechanisms and Auth make the session an smtp.AuthSession (PLAIN).
func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.mb.user || pass != s.mb.pass {
			return errors.New("wrong user or password")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.mb.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	if s.mb.fail > 0 {
		s.mb.fail--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return errors.New("subject: " + err.Error())
	}
	_, tlsOn := s.conn.TLSConnectionState()
	s.mb.got = append(s.mb.got, received{TLS: tlsOn, Authed: s.authed, From: s.from, To: s.to, Header: m.Header, Subject: subj,
		Body: strings.ReplaceAll(string(b), "\r\n", "\n")})
	return nil
}
