package schema

import (
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ImportJob is one file a user imports: its uploaded bytes (ImportFile), how they are read
// (format, encoding, delimiter, sheet), the column mapping, and the progress
// and outcome of its dry run and run. Rows are committed in batches; the
// counters say exactly how far a run got, so an interrupted import can be
// resumed or reverted.
type ImportJob struct {
	ent.Schema
}

// Fields of the ImportJob.
func (ImportJob) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Optional().Nillable(),
		field.String("filename").MaxLen(255),
		field.Enum("format").Values("csv", "xlsx", "vcard"),
		field.String("encoding").MaxLen(40).Default(""),
		field.String("delimiter").MaxLen(4).Default(""),
		field.String("sheet").MaxLen(100).Default(""),
		field.JSON("mapping", map[string]string{}).Optional(),
		// Status moves only along importing's transition table, each change one
		// guarded conditional update. checking is a dry run and reverting a
		// revert, queued (no worker) or claimed by a worker under a lease.
		field.Enum("status").Values("uploaded", "mapped", "checking", "dry_run", "running", "done", "failed", "interrupted",
			"reverting", "reverted").Default("uploaded"),
		field.Int("total_rows").Default(0),
		field.Int("processed_rows").Default(0),
		field.Int("created_count").Default(0),
		field.Int("updated_count").Default(0),
		field.Int("unchanged_count").Default(0),
		field.Int("error_count").Default(0),
		field.String("message").MaxLen(1000).Default(""),
		// The worker that runs it and when it last showed life, so a dead run is seen as interrupted.
		field.String("worker").MaxLen(100).Default(""),
		field.Time("heartbeat_at").Optional().Nillable(),
		// The worker's lease: it renews it while it works; once it has passed,
		// the job is free for another worker to claim (resume) at once.
		field.Time("lease_until").Optional().Nillable(),
		// The revert: who asked for it, whether a manager confirmed undoing
		// other people's later work, how far it got (row number of the last
		// committed row outcome, rows done of total) and which contacts it
		// left alone because someone else changed them after the import.
		field.Int("revert_by").Optional().Nillable(),
		field.Bool("revert_force").Default(false),
		field.Int("revert_cursor").Default(0),
		field.Int("revert_done").Default(0),
		field.Int("revert_total").Default(0),
		field.JSON("revert_kept", []int{}).Optional(),
		field.Int("revert_kept_count").Default(0),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("started_at").Optional().Nillable(),
		field.Time("finished_at").Optional().Nillable(),
	}
}

// Edges of the ImportJob.
func (ImportJob) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique(),
		edge.To("rows", ImportRow.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		// The uploaded file, in a table of its own (see ImportFile).
		edge.To("file", ImportFile.Type).Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the ImportJob.
func (ImportJob) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id"), index.Fields("status")}
}
