-- Drop index "contact_touch_due_at" from table: "contacts"
DROP INDEX "contact_touch_due_at";
-- Create index "contact_touch_due_at" to table: "contacts"
CREATE INDEX "contact_touch_due_at" ON "contacts" ("touch_due_at") INCLUDE ("owner_id");
-- Drop index "interaction_author_id" from table: "interactions"
DROP INDEX "interaction_author_id";
-- Drop index "interaction_occurred_at" from table: "interactions"
DROP INDEX "interaction_occurred_at";
-- Create index "interaction_occurred_at" to table: "interactions"
CREATE INDEX "interaction_occurred_at" ON "interactions" ("occurred_at") INCLUDE ("type", "author_id");
-- Create index "interaction_author_id_occurred_at" to table: "interactions"
CREATE INDEX "interaction_author_id_occurred_at" ON "interactions" ("author_id", "occurred_at") INCLUDE ("type");
