-- Modify "campaigns" table
ALTER TABLE "campaigns" ADD COLUMN "version" bigint NOT NULL DEFAULT 1;
