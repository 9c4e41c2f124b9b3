-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_import_jobs" table
CREATE TABLE `new_import_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `filename` text NOT NULL, `format` text NOT NULL, `encoding` text NOT NULL DEFAULT (''), `delimiter` text NOT NULL DEFAULT (''), `sheet` text NOT NULL DEFAULT (''), `mapping` json NULL, `status` text NOT NULL DEFAULT ('uploaded'), `total_rows` integer NOT NULL DEFAULT (0), `processed_rows` integer NOT NULL DEFAULT (0), `created_count` integer NOT NULL DEFAULT (0), `updated_count` integer NOT NULL DEFAULT (0), `unchanged_count` integer NOT NULL DEFAULT (0), `error_count` integer NOT NULL DEFAULT (0), `message` text NOT NULL DEFAULT (''), `worker` text NOT NULL DEFAULT (''), `heartbeat_at` datetime NULL, `lease_until` datetime NULL, `revert_by` integer NULL, `revert_force` bool NOT NULL DEFAULT (false), `revert_cursor` integer NOT NULL DEFAULT (0), `revert_done` integer NOT NULL DEFAULT (0), `revert_total` integer NOT NULL DEFAULT (0), `revert_kept` json NULL, `revert_kept_count` integer NOT NULL DEFAULT (0), `created_at` datetime NOT NULL, `started_at` datetime NULL, `finished_at` datetime NULL, `user_id` integer NULL, CONSTRAINT `import_jobs_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "import_jobs" to new temporary table "new_import_jobs"
INSERT INTO `new_import_jobs` (`id`, `filename`, `format`, `encoding`, `delimiter`, `sheet`, `mapping`, `status`, `total_rows`, `processed_rows`, `created_count`, `updated_count`, `unchanged_count`, `error_count`, `message`, `worker`, `heartbeat_at`, `lease_until`, `revert_by`, `revert_force`, `revert_cursor`, `revert_done`, `revert_total`, `revert_kept`, `revert_kept_count`, `created_at`, `started_at`, `finished_at`, `user_id`) SELECT `id`, `filename`, `format`, `encoding`, `delimiter`, `sheet`, `mapping`, `status`, `total_rows`, `processed_rows`, `created_count`, `updated_count`, `unchanged_count`, `error_count`, `message`, `worker`, `heartbeat_at`, `lease_until`, `revert_by`, `revert_force`, `revert_cursor`, `revert_done`, `revert_total`, `revert_kept`, `revert_kept_count`, `created_at`, `started_at`, `finished_at`, `user_id` FROM `import_jobs`;
-- Create "import_files" table
CREATE TABLE `import_files` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `data` blob NOT NULL, `import_id` integer NOT NULL, CONSTRAINT `import_files_import_jobs_file` FOREIGN KEY (`import_id`) REFERENCES `import_jobs` (`id`) ON DELETE CASCADE);
-- Create index "import_files_import_id_key" to table: "import_files"
CREATE UNIQUE INDEX `import_files_import_id_key` ON `import_files` (`import_id`);
-- Move the uploaded files out of "import_jobs" (written by hand)
INSERT INTO `import_files` (`import_id`, `data`) SELECT `id`, `file` FROM `import_jobs` WHERE `file` IS NOT NULL;
-- Drop "import_jobs" table after copying rows
DROP TABLE `import_jobs`;
-- Rename temporary table "new_import_jobs" to "import_jobs"
ALTER TABLE `new_import_jobs` RENAME TO `import_jobs`;
-- Create index "importjob_user_id" to table: "import_jobs"
CREATE INDEX `importjob_user_id` ON `import_jobs` (`user_id`);
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX `importjob_status` ON `import_jobs` (`status`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
