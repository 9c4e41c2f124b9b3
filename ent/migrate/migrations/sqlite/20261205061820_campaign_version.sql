-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_campaigns" table
CREATE TABLE `new_campaigns` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `goal` text NOT NULL DEFAULT (''), `key_messages` json NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NULL, `embargo_until` datetime NULL, `status` text NOT NULL DEFAULT ('planned'), `no_reply_days` integer NOT NULL DEFAULT (14), `source` json NULL, `frozen_at` datetime NULL, `version` integer NOT NULL DEFAULT (1), `brand_id` integer NOT NULL, `owner_id` integer NULL, CONSTRAINT `campaigns_brands_campaigns` FOREIGN KEY (`brand_id`) REFERENCES `brands` (`id`) ON DELETE NO ACTION, CONSTRAINT `campaigns_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "campaigns" to new temporary table "new_campaigns"
INSERT INTO `new_campaigns` (`id`, `created_at`, `updated_at`, `name`, `goal`, `key_messages`, `starts_at`, `ends_at`, `embargo_until`, `status`, `no_reply_days`, `source`, `frozen_at`, `brand_id`, `owner_id`) SELECT `id`, `created_at`, `updated_at`, `name`, `goal`, `key_messages`, `starts_at`, `ends_at`, `embargo_until`, `status`, `no_reply_days`, `source`, `frozen_at`, `brand_id`, `owner_id` FROM `campaigns`;
-- Drop "campaigns" table after copying rows
DROP TABLE `campaigns`;
-- Rename temporary table "new_campaigns" to "campaigns"
ALTER TABLE `new_campaigns` RENAME TO `campaigns`;
-- Create index "campaign_brand_id" to table: "campaigns"
CREATE INDEX `campaign_brand_id` ON `campaigns` (`brand_id`);
-- Create index "campaign_owner_id" to table: "campaigns"
CREATE INDEX `campaign_owner_id` ON `campaigns` (`owner_id`);
-- Create index "campaign_status_starts_at" to table: "campaigns"
CREATE INDEX `campaign_status_starts_at` ON `campaigns` (`status`, `starts_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
