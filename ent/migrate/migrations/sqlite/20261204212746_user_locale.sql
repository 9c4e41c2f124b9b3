-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_users" table
CREATE TABLE `new_users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL, `role` text NOT NULL DEFAULT ('staff'), `password_hash` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `last_login_at` datetime NULL, `password_changed_at` datetime NOT NULL, `locale` text NOT NULL DEFAULT (''));
-- Copy rows from old table "users" to new temporary table "new_users"
INSERT INTO `new_users` (`id`, `created_at`, `updated_at`, `email`, `name`, `role`, `password_hash`, `active`, `last_login_at`, `password_changed_at`) SELECT `id`, `created_at`, `updated_at`, `email`, `name`, `role`, `password_hash`, `active`, `last_login_at`, `password_changed_at` FROM `users`;
-- Drop "users" table after copying rows
DROP TABLE `users`;
-- Rename temporary table "new_users" to "users"
ALTER TABLE `new_users` RENAME TO `users`;
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
