package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ConsentEvent is one change of a contact's lawful basis, consent state,
// do-not-contact or Art. 14 notice: the state after the change, where it came
// from, the evidence, the wording the person agreed to, who recorded it and
// when, and (for a lift of do-not-contact or an objection) the manager's
// reason. crm.ContactWriter writes them in the transaction of the change; the
// contact's columns are the latest event's state, kept for filtering. Events
// are never updated; they go with the contact when it is erased.
type ConsentEvent struct {
	ent.Schema
}

// Fields of the ConsentEvent.
func (ConsentEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id").Immutable(),
		field.Time("at").Default(time.Now).Immutable(),
		// The actor: no foreign key, so that the history outlives the user.
		field.Int("actor_id").Optional().Nillable().Immutable(),
		field.String("actor_name").MaxLen(200).Default("").Immutable(),
		// Changed lists what moved: basis, consent, do_not_contact, notice,
		// and lift when do-not-contact or an objection was lifted.
		field.Strings("changed").Optional().Immutable(),
		field.Enum("lawful_basis").Values("none", "legitimate_interest", "consent", "contract").Immutable(),
		field.Enum("consent_state").Values("none", "given", "withdrawn", "objected").Immutable(),
		field.Bool("do_not_contact").Immutable(),
		field.String("source").MaxLen(200).Default("").Immutable(),
		field.String("evidence").MaxLen(2000).Default("").Immutable(),
		field.String("wording_version").MaxLen(100).Default("").Immutable(),
		field.String("reason").MaxLen(1000).Default("").Immutable(),
		// NoticeAt and NoticeMethod: when and how the person was told that we
		// hold their data (Art. 14), on a notice event.
		field.Time("notice_at").Optional().Nillable().Immutable(),
		field.String("notice_method").MaxLen(200).Default("").Immutable(),
	}
}

// Edges of the ConsentEvent.
func (ConsentEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("consent_events").Field("contact_id").Unique().Required().Immutable(),
	}
}

// Indexes of the ConsentEvent: a contact's history in order.
func (ConsentEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("contact_id", "at")}
}
