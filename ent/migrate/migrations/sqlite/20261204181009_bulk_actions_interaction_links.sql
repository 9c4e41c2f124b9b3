-- Add column "links" to table: "interactions"
ALTER TABLE `interactions` ADD COLUMN `links` json NULL;
-- Create "bulk_actions" table
CREATE TABLE `bulk_actions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `action` text NOT NULL, `value` text NOT NULL DEFAULT (''), `summary` text NOT NULL DEFAULT (''), `targets` json NULL, `status` text NOT NULL DEFAULT ('queued'), `total` integer NOT NULL DEFAULT (0), `processed` integer NOT NULL DEFAULT (0), `changed` integer NOT NULL DEFAULT (0), `skipped` integer NOT NULL DEFAULT (0), `undo_processed` integer NOT NULL DEFAULT (0), `undo_kept` integer NOT NULL DEFAULT (0), `undo_by` integer NULL, `message` text NOT NULL DEFAULT (''), `worker` text NOT NULL DEFAULT (''), `lease_until` datetime NULL, `created_at` datetime NOT NULL, `finished_at` datetime NULL, `user_id` integer NULL, CONSTRAINT `bulk_actions_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "bulkaction_user_id" to table: "bulk_actions"
CREATE INDEX `bulkaction_user_id` ON `bulk_actions` (`user_id`);
-- Create index "bulkaction_status" to table: "bulk_actions"
CREATE INDEX `bulkaction_status` ON `bulk_actions` (`status`);
-- Create "bulk_action_items" table
CREATE TABLE `bulk_action_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `contact_id` integer NOT NULL, `before` text NOT NULL DEFAULT (''), `action_id` integer NOT NULL, CONSTRAINT `bulk_action_items_bulk_actions_items` FOREIGN KEY (`action_id`) REFERENCES `bulk_actions` (`id`) ON DELETE CASCADE);
-- Create index "bulkactionitem_action_id_contact_id" to table: "bulk_action_items"
CREATE UNIQUE INDEX `bulkactionitem_action_id_contact_id` ON `bulk_action_items` (`action_id`, `contact_id`);
