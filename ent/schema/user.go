package schema

import (
	entsql "entgo.io/ent/dialect/entsql"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// User is a staff account. Roles: admin (users, settings, everything), manager
// (reviews, audit, any export), staff (day-to-day work on contacts).
type User struct {
	ent.Schema
}

// Mixin of the User.
func (User) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the User. The e-mail is stored lower-cased, so its unique index is case-blind.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").NotEmpty().MaxLen(254).Unique(),
		field.String("name").NotEmpty().MaxLen(200),
		field.Enum("role").Values("admin", "manager", "staff").Default("staff"),
		field.String("password_hash").Sensitive().NotEmpty(),
		field.Bool("active").Default(true),
		field.Time("last_login_at").Optional().Nillable(),
		field.Time("password_changed_at").Default(time.Now),
		// locale is the language the user picked in /account ("de", "en");
		// empty: the browser's Accept-Language decides.
		field.String("locale").Default("").MaxLen(8),
		// mail_off lists the notification kinds the user turned off (all are on at first).
		field.Strings("mail_off").Optional(),
		// calendar_token is the secret of the user's calendar feed URL; nil: no feed.
		field.String("calendar_token").Optional().Nillable().Unique().Sensitive().MaxLen(64),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("sessions", Session.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("contacts", Contact.Type),
		edge.To("interactions", Interaction.Type),
		edge.To("api_tokens", APIToken.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("notifications", Notification.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}
