-- Drop index "participation_contact_id_interaction_id" from table: "participations"
DROP INDEX "participation_contact_id_interaction_id";
-- Modify "participations" table: add "occurred_at", copy each interaction's time, then require it
ALTER TABLE "participations" ADD COLUMN "occurred_at" timestamptz NULL;
UPDATE "participations" AS p SET "occurred_at" = i."occurred_at" FROM "interactions" AS i WHERE i."id" = p."interaction_id";
ALTER TABLE "participations" ALTER COLUMN "occurred_at" SET NOT NULL;
-- Create index "participation_contact_id_occurred_at_interaction_id" to table: "participations"
CREATE INDEX "participation_contact_id_occurred_at_interaction_id" ON "participations" ("contact_id", "occurred_at", "interaction_id");
