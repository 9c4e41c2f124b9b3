-- Modify "users" table
ALTER TABLE "users" ADD COLUMN "locale" character varying NOT NULL DEFAULT '';
