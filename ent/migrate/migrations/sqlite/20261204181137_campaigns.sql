-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_interactions" table
CREATE TABLE `new_interactions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `direction` text NOT NULL DEFAULT ('outbound'), `occurred_at` datetime NOT NULL, `subject` text NOT NULL DEFAULT (''), `body` text NOT NULL DEFAULT (''), `sentiment` text NOT NULL DEFAULT ('neutral'), `links` json NULL, `embargo_until` datetime NULL, `campaign_id` integer NULL, `author_id` integer NULL, CONSTRAINT `interactions_campaigns_campaign` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns` (`id`) ON DELETE SET NULL, CONSTRAINT `interactions_users_interactions` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "interactions" to new temporary table "new_interactions"
INSERT INTO `new_interactions` (`id`, `created_at`, `updated_at`, `type`, `direction`, `occurred_at`, `subject`, `body`, `sentiment`, `links`, `author_id`) SELECT `id`, `created_at`, `updated_at`, `type`, `direction`, `occurred_at`, `subject`, `body`, `sentiment`, `links`, `author_id` FROM `interactions`;
-- Drop "interactions" table after copying rows
DROP TABLE `interactions`;
-- Rename temporary table "new_interactions" to "interactions"
ALTER TABLE `new_interactions` RENAME TO `interactions`;
-- Create index "interaction_author_id" to table: "interactions"
CREATE INDEX `interaction_author_id` ON `interactions` (`author_id`);
-- Create index "interaction_occurred_at" to table: "interactions"
CREATE INDEX `interaction_occurred_at` ON `interactions` (`occurred_at`);
-- Create index "interaction_campaign_id" to table: "interactions"
CREATE INDEX `interaction_campaign_id` ON `interactions` (`campaign_id`);
-- Create "brands" table
CREATE TABLE `brands` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `notes` text NOT NULL DEFAULT (''));
-- Create index "brand_name" to table: "brands"
CREATE UNIQUE INDEX `brand_name` ON `brands` (`name`);
-- Create "campaigns" table
CREATE TABLE `campaigns` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `goal` text NOT NULL DEFAULT (''), `key_messages` json NULL, `starts_at` datetime NOT NULL, `ends_at` datetime NULL, `embargo_until` datetime NULL, `status` text NOT NULL DEFAULT ('planned'), `no_reply_days` integer NOT NULL DEFAULT (14), `source` json NULL, `frozen_at` datetime NULL, `brand_id` integer NOT NULL, `owner_id` integer NULL, CONSTRAINT `campaigns_brands_campaigns` FOREIGN KEY (`brand_id`) REFERENCES `brands` (`id`) ON DELETE NO ACTION, CONSTRAINT `campaigns_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "campaign_brand_id" to table: "campaigns"
CREATE INDEX `campaign_brand_id` ON `campaigns` (`brand_id`);
-- Create index "campaign_owner_id" to table: "campaigns"
CREATE INDEX `campaign_owner_id` ON `campaigns` (`owner_id`);
-- Create index "campaign_status_starts_at" to table: "campaigns"
CREATE INDEX `campaign_status_starts_at` ON `campaigns` (`status`, `starts_at`);
-- Create "campaign_members" table
CREATE TABLE `campaign_members` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `campaign_id` integer NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `campaign_members_campaigns_members` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns` (`id`) ON DELETE CASCADE, CONSTRAINT `campaign_members_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- Create index "campaignmember_campaign_id_user_id" to table: "campaign_members"
CREATE UNIQUE INDEX `campaignmember_campaign_id_user_id` ON `campaign_members` (`campaign_id`, `user_id`);
-- Create index "campaignmember_user_id" to table: "campaign_members"
CREATE INDEX `campaignmember_user_id` ON `campaign_members` (`user_id`);
-- Create "campaign_targets" table
CREATE TABLE `campaign_targets` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `status` text NOT NULL DEFAULT ('planned'), `source` text NOT NULL DEFAULT ('list'), `added_at` datetime NOT NULL, `pitched_at` datetime NULL, `replied_at` datetime NULL, `status_at` datetime NOT NULL, `pitch_count` integer NOT NULL DEFAULT (0), `interaction_id` integer NULL, `campaign_id` integer NOT NULL, `contact_id` integer NOT NULL, CONSTRAINT `campaign_targets_campaigns_targets` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns` (`id`) ON DELETE CASCADE, CONSTRAINT `campaign_targets_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "campaigntarget_campaign_id_contact_id" to table: "campaign_targets"
CREATE UNIQUE INDEX `campaigntarget_campaign_id_contact_id` ON `campaign_targets` (`campaign_id`, `contact_id`);
-- Create index "campaigntarget_contact_id" to table: "campaign_targets"
CREATE INDEX `campaigntarget_contact_id` ON `campaign_targets` (`contact_id`);
-- Create index "campaigntarget_campaign_id_status" to table: "campaign_targets"
CREATE INDEX `campaigntarget_campaign_id_status` ON `campaign_targets` (`campaign_id`, `status`);
-- Create "coverage_authors" table
CREATE TABLE `coverage_authors` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `contact_id` integer NOT NULL, `coverage_item_id` integer NOT NULL, CONSTRAINT `coverage_authors_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `coverage_authors_coverage_items_authors` FOREIGN KEY (`coverage_item_id`) REFERENCES `coverage_items` (`id`) ON DELETE CASCADE);
-- Create index "coverageauthor_coverage_item_id_contact_id" to table: "coverage_authors"
CREATE UNIQUE INDEX `coverageauthor_coverage_item_id_contact_id` ON `coverage_authors` (`coverage_item_id`, `contact_id`);
-- Create index "coverageauthor_contact_id" to table: "coverage_authors"
CREATE INDEX `coverageauthor_contact_id` ON `coverage_authors` (`contact_id`);
-- Create "coverage_items" table
CREATE TABLE `coverage_items` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL DEFAULT (''), `url_key` text NULL, `title` text NOT NULL, `outlet_name` text NOT NULL DEFAULT (''), `outlet_type` text NOT NULL DEFAULT (''), `published_at` datetime NOT NULL, `kind` text NOT NULL DEFAULT ('article'), `reach` integer NULL, `sentiment` text NOT NULL DEFAULT ('neutral'), `key_messages` json NULL, `interaction_id` integer NULL, `created_by_id` integer NULL, `campaign_id` integer NOT NULL, `outlet_id` integer NULL, CONSTRAINT `coverage_items_campaigns_coverage` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns` (`id`) ON DELETE CASCADE, CONSTRAINT `coverage_items_outlets_outlet` FOREIGN KEY (`outlet_id`) REFERENCES `outlets` (`id`) ON DELETE SET NULL);
-- Create index "coverageitem_url_key" to table: "coverage_items"
CREATE UNIQUE INDEX `coverageitem_url_key` ON `coverage_items` (`url_key`);
-- Create index "coverageitem_campaign_id_published_at" to table: "coverage_items"
CREATE INDEX `coverageitem_campaign_id_published_at` ON `coverage_items` (`campaign_id`, `published_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
