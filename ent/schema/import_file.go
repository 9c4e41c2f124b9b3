package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// ImportFile is the uploaded bytes of an import, in a table of their own:
// the job's row is updated with every batch, heartbeat and lease, and on
// SQLite an UPDATE rewrites the whole row (a 10 MB upload made each such
// update take a second); the file is written once and only read.
type ImportFile struct {
	ent.Schema
}

// Fields of the ImportFile.
func (ImportFile) Fields() []ent.Field {
	return []ent.Field{
		field.Int("import_id").Unique().Immutable(),
		field.Bytes("data").Immutable(),
	}
}

// Edges of the ImportFile.
func (ImportFile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("job", ImportJob.Type).Ref("file").Field("import_id").Unique().Required().Immutable(),
	}
}
