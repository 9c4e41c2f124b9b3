-- Create "export_logs" table
CREATE TABLE `export_logs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `segment_id` integer NULL, `segment_name` text NOT NULL DEFAULT (''), `query` text NOT NULL DEFAULT (''), `filter` json NOT NULL, `format` text NOT NULL, `columns` json NULL, `purpose` text NOT NULL, `row_count` integer NOT NULL DEFAULT (0), `excluded_counts` json NULL, `member_ids` json NULL, `override_reason` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('done'), `approved_by_id` integer NULL, `created_at` datetime NOT NULL, `finished_at` datetime NULL, `user_id` integer NULL, CONSTRAINT `export_logs_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "exportlog_user_id_created_at" to table: "export_logs"
CREATE INDEX `exportlog_user_id_created_at` ON `export_logs` (`user_id`, `created_at`);
-- Create index "exportlog_created_at" to table: "export_logs"
CREATE INDEX `exportlog_created_at` ON `export_logs` (`created_at`);
-- Create index "exportlog_segment_id" to table: "export_logs"
CREATE INDEX `exportlog_segment_id` ON `export_logs` (`segment_id`);
-- Create "segments" table
CREATE TABLE `segments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `shared` bool NOT NULL DEFAULT (false), `query` text NOT NULL DEFAULT (''), `filter` json NOT NULL, `owner_id` integer NULL, CONSTRAINT `segments_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "segment_owner_id" to table: "segments"
CREATE INDEX `segment_owner_id` ON `segments` (`owner_id`);
-- Create index "segment_shared" to table: "segments"
CREATE INDEX `segment_shared` ON `segments` (`shared`);
