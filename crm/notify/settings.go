package notify

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/mailsetting"
)

// Settings are the mail server and the address mails link to.
type Settings struct {
	SMTP    SMTP
	BaseURL string
}

// SettingsForm is the admin's form: the password is never sent back, so an
// empty one keeps the saved password unless ClearPassword.
type SettingsForm struct {
	Host, Port, TLS, User, Password, From, BaseURL string
	ClearPassword                                  bool
	HasPassword                                    bool // shown: a password is saved
}

// LoadSettings are the settings an admin saved, or fallback (the
// environment's) when none were saved.
func LoadSettings(ctx context.Context, client *ent.Client, fallback Settings) (Settings, error) {
	m, err := client.MailSetting.Query().Order(mailsetting.ByID()).First(ctx)
	if ent.IsNotFound(err) {
		return fallback, nil
	}
	if err != nil {
		return fallback, fmt.Errorf("mail settings: %w", err)
	}
	return Settings{SMTP: SMTP{Host: m.Host, Port: m.Port, TLS: string(m.TLS), User: m.Username, Password: m.Password, From: m.Sender},
		BaseURL: m.BaseURL}, nil
}

// Form is s as the settings page shows it: without the password.
func (s Settings) Form() SettingsForm {
	return SettingsForm{Host: s.SMTP.Host, Port: strconv.Itoa(s.SMTP.Port), TLS: s.SMTP.TLS, User: s.SMTP.User, From: s.SMTP.From,
		BaseURL: s.BaseURL, HasPassword: s.SMTP.Password != ""}
}

// SaveSettings validates f and stores it (audited, without the password's
// value); an empty host turns mail off.
func SaveSettings(ctx context.Context, client *ent.Client, f SettingsForm) error {
	fe := crm.FieldErrors{}
	f.Host, f.From, f.BaseURL, f.User = strings.TrimSpace(f.Host), strings.TrimSpace(f.From), strings.TrimRight(strings.TrimSpace(f.BaseURL), "/"), strings.TrimSpace(f.User)
	port, err := strconv.Atoi(strings.TrimSpace(f.Port))
	if err != nil || port < 1 || port > 65535 {
		fe.Add("port", "A port number from 1 to 65535 (587 for STARTTLS, 465 for implicit TLS, 25 for a local relay).")
	}
	if f.TLS != TLSNone && f.TLS != TLSStartTLS && f.TLS != TLSImplicit {
		fe.Add("tls", "Choose how the connection is encrypted.")
	}
	if f.Host != "" {
		if err := (SMTP{Host: f.Host, Port: max(port, 1), TLS: TLSNone, From: f.From}).Check(); err != nil || f.From == "" {
			fe.Add("from", "The sender's address, e.g. Rapport <rapport@example.com>.")
		}
		if u, err := url.Parse(f.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fe.Add("base_url", "Where users reach Rapport, e.g. https://rapport.example.com: mails link to it.")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		old, err := tx.MailSetting.Query().Order(mailsetting.ByID()).First(ctx)
		if ent.IsNotFound(err) {
			old, err = tx.MailSetting.Create().Save(ctx)
		}
		if err != nil {
			return fmt.Errorf("mail settings: %w", err)
		}
		u := tx.MailSetting.UpdateOne(old).SetHost(f.Host).SetPort(port).SetTLS(mailsetting.TLS(f.TLS)).SetUsername(f.User).
			SetSender(f.From).SetBaseURL(f.BaseURL)
		changes := crm.Changes{}
		for k, v := range map[string][2]string{"host": {old.Host, f.Host}, "port": {strconv.Itoa(old.Port), strconv.Itoa(port)},
			"tls": {string(old.TLS), f.TLS}, "user": {old.Username, f.User}, "sender": {old.Sender, f.From}, "base_url": {old.BaseURL, f.BaseURL}} {
			if v[0] != v[1] {
				changes[k] = [2]any{v[0], v[1]}
			}
		}
		switch {
		case f.ClearPassword:
			u.SetPassword("")
			changes["password"] = [2]any{nil, "cleared"}
		case f.Password != "":
			u.SetPassword(f.Password)
			changes["password"] = [2]any{nil, "changed"} // never its value
		}
		if err := u.Exec(ctx); err != nil {
			return fmt.Errorf("mail settings: %w", err)
		}
		return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionUpdate, Entity: EntityMailSettings, EntityID: old.ID,
			Msg: crm.MsgMailSettings(), Changes: changes})
	})
}

// EntityMailSettings names the mail settings in the audit trail.
const EntityMailSettings = "mail_settings"
