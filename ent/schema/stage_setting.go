package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// StageSetting is an admin's configuration of one relationship stage: its
// label (stages can be renamed) and the expected contact cadence in days,
// against which relationship health and staleness are measured.
type StageSetting struct {
	ent.Schema
}

// Fields of the StageSetting. Stage is one of the Contact.stage values.
func (StageSetting) Fields() []ent.Field {
	return []ent.Field{
		field.String("stage").NotEmpty().Unique().Immutable(),
		field.String("label").NotEmpty().MaxLen(60),
		field.Int("cadence_days").Positive(),
		field.Int("position").Default(0),
	}
}
