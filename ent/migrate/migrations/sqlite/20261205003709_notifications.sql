-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_users" table
CREATE TABLE `new_users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL, `role` text NOT NULL DEFAULT ('staff'), `password_hash` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `last_login_at` datetime NULL, `password_changed_at` datetime NOT NULL, `locale` text NOT NULL DEFAULT (''), `mail_off` json NULL, `calendar_token` text NULL);
-- Copy rows from old table "users" to new temporary table "new_users"
INSERT INTO `new_users` (`id`, `created_at`, `updated_at`, `email`, `name`, `role`, `password_hash`, `active`, `last_login_at`, `password_changed_at`, `locale`) SELECT `id`, `created_at`, `updated_at`, `email`, `name`, `role`, `password_hash`, `active`, `last_login_at`, `password_changed_at`, `locale` FROM `users`;
-- Drop "users" table after copying rows
DROP TABLE `users`;
-- Rename temporary table "new_users" to "users"
ALTER TABLE `new_users` RENAME TO `users`;
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
-- Create index "users_calendar_token_key" to table: "users"
CREATE UNIQUE INDEX `users_calendar_token_key` ON `users` (`calendar_token`);
-- Create "notifications" table
CREATE TABLE `notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `key` text NOT NULL, `to` text NOT NULL, `subject` text NOT NULL, `body` text NOT NULL, `status` text NOT NULL DEFAULT ('pending'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `last_error` text NOT NULL DEFAULT (''), `created_at` datetime NOT NULL, `sent_at` datetime NULL, `user_id` integer NOT NULL, CONSTRAINT `notifications_users_notifications` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- Create index "notifications_key_key" to table: "notifications"
CREATE UNIQUE INDEX `notifications_key_key` ON `notifications` (`key`);
-- Create index "notification_status_next_attempt_at" to table: "notifications"
CREATE INDEX `notification_status_next_attempt_at` ON `notifications` (`status`, `next_attempt_at`);
-- Create index "notification_user_id_created_at" to table: "notifications"
CREATE INDEX `notification_user_id_created_at` ON `notifications` (`user_id`, `created_at`);
-- Create "notification_positions" table
CREATE TABLE `notification_positions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `position` integer NOT NULL DEFAULT (0), `digest_day` text NOT NULL DEFAULT (''));
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
