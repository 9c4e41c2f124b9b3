-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create index "contact_owner_id_touch_due_at" to table: "contacts"
CREATE INDEX `contact_owner_id_touch_due_at` ON `contacts` (`owner_id`, `touch_due_at`);
-- Create "new_interactions" table
CREATE TABLE `new_interactions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `direction` text NOT NULL DEFAULT ('outbound'), `occurred_at` datetime NOT NULL, `subject` text NOT NULL DEFAULT (''), `body` text NOT NULL DEFAULT (''), `sentiment` text NOT NULL DEFAULT ('neutral'), `author_id` integer NULL, CONSTRAINT `interactions_users_interactions` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "interactions" to new temporary table "new_interactions"
INSERT INTO `new_interactions` (`id`, `created_at`, `updated_at`, `type`, `direction`, `occurred_at`, `subject`, `body`, `sentiment`, `author_id`) SELECT `id`, `created_at`, `updated_at`, `type`, `direction`, `occurred_at`, `subject`, `body`, `sentiment`, `author_id` FROM `interactions`;
-- Drop "interactions" table after copying rows
DROP TABLE `interactions`;
-- Rename temporary table "new_interactions" to "interactions"
ALTER TABLE `new_interactions` RENAME TO `interactions`;
-- Create index "interaction_author_id" to table: "interactions"
CREATE INDEX `interaction_author_id` ON `interactions` (`author_id`);
-- Create index "interaction_occurred_at" to table: "interactions"
CREATE INDEX `interaction_occurred_at` ON `interactions` (`occurred_at`);
-- Create "nomination_evidence" table
CREATE TABLE `nomination_evidence` (`nomination_id` integer NOT NULL, `interaction_id` integer NOT NULL, PRIMARY KEY (`nomination_id`, `interaction_id`), CONSTRAINT `nomination_evidence_nomination_id` FOREIGN KEY (`nomination_id`) REFERENCES `nominations` (`id`) ON DELETE CASCADE, CONSTRAINT `nomination_evidence_interaction_id` FOREIGN KEY (`interaction_id`) REFERENCES `interactions` (`id`) ON DELETE CASCADE);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
