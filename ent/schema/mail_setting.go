package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// MailSetting is the mail server of notifications as an admin set it on
// /settings/mail: one row (it takes precedence over RAPPORT_SMTP_*). The
// password is never shown back.
type MailSetting struct {
	ent.Schema
}

// Fields of the MailSetting.
func (MailSetting) Fields() []ent.Field {
	return []ent.Field{
		field.String("host").MaxLen(253).Default(""), // empty: no mail is sent
		field.Int("port").Default(587).Range(1, 65535),
		field.Enum("tls").Values("none", "starttls", "implicit").Default("starttls"),
		field.String("username").MaxLen(254).Default(""),
		field.String("password").MaxLen(500).Default("").Sensitive(),
		field.String("sender").MaxLen(254).Default(""),
		field.String("base_url").MaxLen(500).Default(""), // where users reach Rapport: mails link to it
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
	}
}
