-- Create "places" table
CREATE TABLE `places` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL, `name` text NOT NULL, `aliases` json NULL, `region` text NOT NULL DEFAULT (''));
-- Create index "place_kind_name" to table: "places"
CREATE UNIQUE INDEX `place_kind_name` ON `places` (`kind`, `name`);
