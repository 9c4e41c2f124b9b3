-- Drop index "contact_last_name_first_name_id" from table: "contacts"
DROP INDEX "contact_last_name_first_name_id";
-- Modify "contacts" table
ALTER TABLE "contacts" ADD COLUMN "sort_last" character varying NOT NULL DEFAULT '' COLLATE "C", ADD COLUMN "sort_first" character varying NOT NULL DEFAULT '' COLLATE "C";
-- Create index "contact_sort_last_sort_first_id" to table: "contacts"
CREATE INDEX "contact_sort_last_sort_first_id" ON "contacts" ("sort_last", "sort_first", "id") INCLUDE ("do_not_contact", "consent_state", "lawful_basis");
