package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/db"
)

// notifyInterval is how often the server makes and sends notifications.
const notifyInterval = 5 * time.Second

// MailConfig is the mail server and what the mails link to.
type MailConfig struct {
	SMTP       notify.SMTP
	BaseURL    string         // RAPPORT_BASE_URL: where users reach Rapport
	DigestHour int            // RAPPORT_DIGEST_HOUR: the morning digest goes out from this hour
	Zone       *time.Location // RAPPORT_TIMEZONE: the digest's day and hour
}

// readMailConfig reads RAPPORT_SMTP_* (an administrator's settings: the
// password is read here and never printed), RAPPORT_BASE_URL,
// RAPPORT_DIGEST_HOUR and RAPPORT_TIMEZONE.
func readMailConfig(ctx context.Context) (MailConfig, error) {
	m := MailConfig{SMTP: notify.SMTP{Host: os.Getenv("RAPPORT_SMTP_HOST"), Port: 587, TLS: envOr("RAPPORT_SMTP_TLS", notify.TLSStartTLS),
		User: os.Getenv("RAPPORT_SMTP_USER"), Password: os.Getenv("RAPPORT_SMTP_PASSWORD"), From: os.Getenv("RAPPORT_SMTP_FROM")},
		BaseURL: os.Getenv("RAPPORT_BASE_URL"), DigestHour: 7, Zone: time.Local}
	var err error
	if v := os.Getenv("RAPPORT_SMTP_PORT"); v != "" {
		if m.SMTP.Port, err = strconv.Atoi(v); err != nil {
			return m, errors.New(tr(ctx, "{{.Name}} must be a port number, not “{{.Value}}”.", "Name", "RAPPORT_SMTP_PORT", "Value", v))
		}
	}
	if v := os.Getenv("RAPPORT_DIGEST_HOUR"); v != "" {
		if m.DigestHour, err = strconv.Atoi(v); err != nil || m.DigestHour < 0 || m.DigestHour > 23 {
			return m, errors.New(tr(ctx, "{{.Name}} must be an hour 0–23, not “{{.Value}}”.", "Name", "RAPPORT_DIGEST_HOUR", "Value", v))
		}
	}
	if v := os.Getenv("RAPPORT_TIMEZONE"); v != "" {
		if m.Zone, err = time.LoadLocation(v); err != nil {
			return m, errors.New(tr(ctx, "{{.Name}} must be a zone such as Europe/Berlin, not “{{.Value}}”.", "Name", "RAPPORT_TIMEZONE", "Value", v))
		}
	}
	return m, m.validate(ctx)
}

func (m MailConfig) validate(ctx context.Context) error {
	if !m.SMTP.Enabled() {
		return nil
	}
	if err := m.SMTP.Check(); err != nil {
		return fmt.Errorf("RAPPORT_SMTP_*: %w", err)
	}
	u, err := url.Parse(m.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New(tr(ctx, "RAPPORT_BASE_URL must be where users reach Rapport (https://rapport.example.com): mails link to it."))
	}
	return nil
}

// startNotifier makes and sends e-mail notifications in the background
// while a mail server is set (here or by an admin on /settings/mail); the
// returned function stops it and waits.
func startNotifier(ctx context.Context, d *db.DB, m MailConfig, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	svc := notify.New(d.Client, notify.Options{SMTP: m.SMTP, BaseURL: m.BaseURL, Zone: m.Zone, DigestHour: m.DigestHour, Log: log})
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx, notifyInterval) }()
	return func() { cancel(); <-done }
}
