package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ImportRow is the outcome of one row of an import: what was done, to which
// contact, why a row was rejected, and (for updates) the contact as it was,
// so the import can be reverted.
type ImportRow struct {
	ent.Schema
}

// Fields of the ImportRow.
func (ImportRow) Fields() []ent.Field {
	return []ent.Field{
		field.Int("import_id"),
		field.Int("row_no"),
		field.Enum("action").Values("create", "update", "unchanged", "error", "merged"),
		field.Int("contact_id").Optional().Nillable(),
		field.String("reason").MaxLen(1000).Default(""),
		field.JSON("raw", []string{}).Optional(),
		field.JSON("before", map[string]any{}).Optional(),
		field.Bool("dry_run").Default(false),
	}
}

// Edges of the ImportRow.
func (ImportRow) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("job", ImportJob.Type).Ref("rows").Field("import_id").Unique().Required(),
	}
}

// Indexes of the ImportRow: every read (progress, rejected rows, resume,
// revert) is by import. contact_id is not indexed: nothing looks rows up by
// contact, and an import writes one row per line of the file.
func (ImportRow) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("import_id", "dry_run", "row_no"),
	}
}
