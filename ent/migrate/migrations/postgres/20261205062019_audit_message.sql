-- Modify "audit_events" table
ALTER TABLE "audit_events" ADD COLUMN "message" character varying NOT NULL DEFAULT '', ADD COLUMN "message_args" jsonb NULL;
