// Package notify sends Rapport's e-mail notifications: it reads the audit
// trail (the durable record every change writes in its transaction) and
// the open follow-ups, makes one notification row per user and event (its
// key unique, so two servers never make one twice), rendered in the user's
// language, and sends the due ones over SMTP, each claimed with
// compare-and-set first so that two senders never send one twice, retrying
// failures with exponential backoff.
package notify

import (
	"context"
	"crypto/tls"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
)

// The kinds of notification a user chooses on /account.
const (
	Digest            = "digest"             // the morning digest of follow-ups due
	NominationWaiting = "nomination_waiting" // managers: a nomination waits for a decision
	NominationDecided = "nomination_decided" // the nominator: a manager decided
	ImportFinished    = "import_finished"    // the uploader: an import finished
	ExportFinished    = "export_finished"    // the exporter: an export is ready, approved or rejected
)

// Kinds lists every kind, in the order /account shows them.
var Kinds = schema.NotificationKinds

// ValidKind reports whether k is a kind of notification.
func ValidKind(k string) bool { return slices.Contains(Kinds, k) }

// Retries of a failed send.
const (
	MaxAttempts = 8
	FirstRetry  = time.Minute
	MaxRetry    = 6 * time.Hour
)

// Options configure a Service.
type Options struct {
	SMTP SMTP // the environment's; an admin's saved settings take precedence (Refresh)
	// BaseURL is where users reach Rapport (https://rapport.example.com): links
	// in mails, the unsubscribe link among them, start with it.
	BaseURL string
	// Zone and DigestHour: the morning digest of a day is made from this hour on.
	Zone       *time.Location
	DigestHour int
	Now        func() time.Time
	Log        *slog.Logger
	Timeout    time.Duration // one SMTP conversation
	// TLSConfig, when set, verifies the mail server's certificate (a private
	// CA, the tests' server); nil: the system's roots and the host's name.
	TLSConfig *tls.Config
	Batch     int // notifications sent per round
}

// Service makes and sends notifications.
type Service struct {
	client  *ent.Client
	opt     Options
	keyOnce sync.Mutex
	key     []byte // the unsubscribe links' key
	mu      sync.Mutex
	cur     Settings // in force: an admin's, else Options'
}

// New returns a Service over client.
func New(client *ent.Client, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Zone == nil {
		opt.Zone = time.Local
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Batch <= 0 {
		opt.Batch = 50
	}
	opt.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	return &Service{client: client, opt: opt, cur: Settings{SMTP: opt.SMTP, BaseURL: opt.BaseURL}}
}

// conf is the settings in force.
func (s *Service) conf() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Refresh reads the settings an admin saved on /settings/mail, which take
// precedence over Options' (the environment's), so a change applies
// without a restart.
func (s *Service) Refresh(ctx context.Context) error {
	st, err := LoadSettings(ctx, s.client, Settings{SMTP: s.opt.SMTP, BaseURL: s.opt.BaseURL})
	if err != nil {
		return err
	}
	st.BaseURL = strings.TrimRight(st.BaseURL, "/")
	s.mu.Lock()
	s.cur = st
	s.mu.Unlock()
	return nil
}

// Run makes and sends notifications every interval until ctx ends, while a
// mail server is set (without one nothing is made, so none pile up).
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.opt.Log.Error("mail settings", "err", err)
		}
		if s.conf().SMTP.Enabled() {
			s.round(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// round makes and sends what is due once.
func (s *Service) round(ctx context.Context) {
	if _, err := s.Dispatch(ctx); err != nil && ctx.Err() == nil {
		s.opt.Log.Error("notifications", "err", err)
	}
	if _, err := s.Digests(ctx); err != nil && ctx.Err() == nil {
		s.opt.Log.Error("notification digests", "err", err)
	}
	if _, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
		s.opt.Log.Error("notification delivery", "err", err)
	}
	if _, err := s.Prune(ctx); err != nil && ctx.Err() == nil {
		s.opt.Log.Error("notification pruning", "err", err)
	}
}

// Backoff is the wait before attempt n+1 after n failed ones: FirstRetry,
// doubling, at most MaxRetry.
func Backoff(n int) time.Duration {
	d := FirstRetry
	for i := 1; i < n && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

// wants reports whether the user receives notifications of kind.
func wants(u *ent.User, kind string) bool {
	return u.Active && !slices.Contains(u.MailOff, kind)
}
