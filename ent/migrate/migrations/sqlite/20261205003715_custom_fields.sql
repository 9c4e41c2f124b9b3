-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Add column "custom" to table: "outlets"
ALTER TABLE `outlets` ADD COLUMN `custom` json NULL;
-- Create "new_contacts" table
CREATE TABLE `new_contacts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL DEFAULT ('journalist'), `first_name` text NOT NULL DEFAULT (''), `last_name` text NOT NULL DEFAULT (''), `sort_last` text NOT NULL DEFAULT (''), `sort_first` text NOT NULL DEFAULT (''), `title` text NOT NULL DEFAULT (''), `bio` text NOT NULL DEFAULT (''), `languages` json NULL, `city` text NOT NULL DEFAULT (''), `region` text NOT NULL DEFAULT (''), `country` text NOT NULL DEFAULT (''), `phones` json NULL, `stage` text NOT NULL DEFAULT ('unknown'), `lawful_basis` text NOT NULL DEFAULT ('legitimate_interest'), `consent_state` text NOT NULL DEFAULT ('none'), `consent_at` datetime NULL, `consent_source` text NOT NULL DEFAULT (''), `do_not_contact` bool NOT NULL DEFAULT (false), `notified_at` datetime NULL, `last_interaction_at` datetime NULL, `reach` integer NOT NULL DEFAULT (0), `health` integer NOT NULL DEFAULT (0), `touch_due_at` datetime NULL, `version` integer NOT NULL DEFAULT (1), `custom` json NULL, `owner_id` integer NULL, CONSTRAINT `contacts_users_contacts` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "contacts" to new temporary table "new_contacts"
INSERT INTO `new_contacts` (`id`, `created_at`, `updated_at`, `kind`, `first_name`, `last_name`, `sort_last`, `sort_first`, `title`, `bio`, `languages`, `city`, `region`, `country`, `phones`, `stage`, `lawful_basis`, `consent_state`, `consent_at`, `consent_source`, `do_not_contact`, `notified_at`, `last_interaction_at`, `reach`, `health`, `touch_due_at`, `version`, `owner_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `first_name`, `last_name`, `sort_last`, `sort_first`, `title`, `bio`, `languages`, `city`, `region`, `country`, `phones`, `stage`, `lawful_basis`, `consent_state`, `consent_at`, `consent_source`, `do_not_contact`, `notified_at`, `last_interaction_at`, `reach`, `health`, `touch_due_at`, `version`, `owner_id` FROM `contacts`;
-- Drop "contacts" table after copying rows
DROP TABLE `contacts`;
-- Rename temporary table "new_contacts" to "contacts"
ALTER TABLE `new_contacts` RENAME TO `contacts`;
-- Create index "contact_sort_last_sort_first_id" to table: "contacts"
CREATE INDEX `contact_sort_last_sort_first_id` ON `contacts` (`sort_last`, `sort_first`, `id`);
-- Create index "contact_last_interaction_at" to table: "contacts"
CREATE INDEX `contact_last_interaction_at` ON `contacts` (`last_interaction_at`);
-- Create index "contact_reach" to table: "contacts"
CREATE INDEX `contact_reach` ON `contacts` (`reach`);
-- Create index "contact_kind" to table: "contacts"
CREATE INDEX `contact_kind` ON `contacts` (`kind`);
-- Create index "contact_region" to table: "contacts"
CREATE INDEX `contact_region` ON `contacts` (`region`);
-- Create index "contact_stage" to table: "contacts"
CREATE INDEX `contact_stage` ON `contacts` (`stage`);
-- Create index "contact_health" to table: "contacts"
CREATE INDEX `contact_health` ON `contacts` (`health`);
-- Create index "contact_touch_due_at" to table: "contacts"
CREATE INDEX `contact_touch_due_at` ON `contacts` (`touch_due_at`);
-- Create index "contact_owner_id_stage_touch_due_at" to table: "contacts"
CREATE INDEX `contact_owner_id_stage_touch_due_at` ON `contacts` (`owner_id`, `stage`, `touch_due_at`);
-- Create index "contact_custom" to table: "contacts"
CREATE INDEX `contact_custom` ON `contacts` (`custom`);
-- Create "custom_fields" table
CREATE TABLE `custom_fields` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `entity` text NOT NULL, `key` text NOT NULL, `type` text NOT NULL, `label_en` text NOT NULL, `label_de` text NOT NULL, `choices` json NULL, `in_list` bool NOT NULL DEFAULT (false), `position` integer NOT NULL DEFAULT (0));
-- Create index "customfield_entity_key" to table: "custom_fields"
CREATE UNIQUE INDEX `customfield_entity_key` ON `custom_fields` (`entity`, `key`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
