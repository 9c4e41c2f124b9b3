-- Create index "contact_owner_id_touch_due_at" to table: "contacts"
CREATE INDEX "contact_owner_id_touch_due_at" ON "contacts" ("owner_id", "touch_due_at");
-- Modify "interactions" table
ALTER TABLE "interactions" DROP COLUMN "nomination_evidence";
-- Create "nomination_evidence" table
CREATE TABLE "nomination_evidence" ("nomination_id" bigint NOT NULL, "interaction_id" bigint NOT NULL, PRIMARY KEY ("nomination_id", "interaction_id"), CONSTRAINT "nomination_evidence_interaction_id" FOREIGN KEY ("interaction_id") REFERENCES "interactions" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "nomination_evidence_nomination_id" FOREIGN KEY ("nomination_id") REFERENCES "nominations" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
