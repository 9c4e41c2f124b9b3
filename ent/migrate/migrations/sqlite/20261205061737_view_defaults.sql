-- Create "view_defaults" table
CREATE TABLE `view_defaults` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `list` text NOT NULL DEFAULT ('contacts'), `user_id` integer NOT NULL, `view_id` integer NOT NULL, CONSTRAINT `view_defaults_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE, CONSTRAINT `view_defaults_saved_views_view` FOREIGN KEY (`view_id`) REFERENCES `saved_views` (`id`) ON DELETE CASCADE);
-- Create index "viewdefault_user_id_list" to table: "view_defaults"
CREATE UNIQUE INDEX `viewdefault_user_id_list` ON `view_defaults` (`user_id`, `list`);
-- Create index "viewdefault_view_id" to table: "view_defaults"
CREATE INDEX `viewdefault_view_id` ON `view_defaults` (`view_id`);
