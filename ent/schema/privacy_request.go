package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PrivacyRequest is a data subject's request on the /privacy queue: an access
// request (Art. 15) or an erasure (Art. 17), with its one-month deadline.
// contact_id has no foreign key and the request holds no personal data, so
// the record that a request was answered outlives the erased person.
type PrivacyRequest struct {
	ent.Schema
}

// Fields of the PrivacyRequest.
func (PrivacyRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("access", "erasure"),
		field.Int("contact_id"),
		field.Enum("status").Values("open", "done").Default("open"),
		field.Time("requested_at").Default(time.Now).Immutable(),
		field.Time("due_at"),
		field.Time("done_at").Optional().Nillable(),
		field.Int("requested_by_id").Optional().Nillable(),
		field.Int("handled_by_id").Optional().Nillable(),
	}
}

// Indexes of the PrivacyRequest: the queue by status and deadline, a contact's requests.
func (PrivacyRequest) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "due_at"), index.Fields("contact_id"), index.Fields("kind", "done_at")}
}
