package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CustomField is a field an admin adds to contacts or outlets (how we met,
// birthday, client account number). Its values live in the record's custom
// JSON column under Key; crm validates them per Type and migrates them when
// the type changes or the field is removed.
type CustomField struct {
	ent.Schema
}

// Mixin of the CustomField.
func (CustomField) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the CustomField.
func (CustomField) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("entity").Values("contact", "outlet").Comment("whose field it is"),
		// Key names the value in the custom column: lower-case letters,
		// digits and underscores, made from the English label, never changed.
		field.String("key").NotEmpty().MaxLen(40).Match(customKey).Immutable(),
		field.Enum("type").Values("text", "number", "date", "choice", "multi", "url", "bool"),
		field.String("label_en").NotEmpty().MaxLen(100),
		field.String("label_de").NotEmpty().MaxLen(100),
		// Choices of a choice or multi-choice field, in the order offered.
		field.JSON("choices", []string{}).Optional(),
		// InList: the contact (outlet) list shows the field as a column.
		field.Bool("in_list").Default(false),
		field.Int("position").Default(0),
	}
}

// Indexes of the CustomField: one key per entity.
func (CustomField) Indexes() []ent.Index {
	return []ent.Index{index.Fields("entity", "key").Unique()}
}
