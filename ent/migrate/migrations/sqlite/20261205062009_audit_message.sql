-- Add columns "message" and "message_args" to table "audit_events" (in
-- place: the columns are the table's last, so no copy of the trail)
ALTER TABLE `audit_events` ADD COLUMN `message` text NOT NULL DEFAULT ('');
ALTER TABLE `audit_events` ADD COLUMN `message_args` json NULL;
