-- Create "saved_views" table
CREATE TABLE `saved_views` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `shared` bool NOT NULL DEFAULT (false), `list` text NOT NULL DEFAULT ('contacts'), `query` text NOT NULL DEFAULT (''), `owner_id` integer NOT NULL, CONSTRAINT `saved_views_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "savedview_owner_id_list" to table: "saved_views"
CREATE INDEX `savedview_owner_id_list` ON `saved_views` (`owner_id`, `list`);
-- Create index "savedview_list_shared" to table: "saved_views"
CREATE INDEX `savedview_list_shared` ON `saved_views` (`list`, `shared`);
