-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_participations" table
CREATE TABLE `new_participations` (`occurred_at` datetime NOT NULL, `interaction_id` integer NOT NULL, `contact_id` integer NOT NULL, PRIMARY KEY (`interaction_id`, `contact_id`), CONSTRAINT `participations_interactions_interaction` FOREIGN KEY (`interaction_id`) REFERENCES `interactions` (`id`) ON DELETE CASCADE, CONSTRAINT `participations_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Copy rows from old table "participations" to new temporary table "new_participations", with each interaction's time
INSERT INTO `new_participations` (`occurred_at`, `interaction_id`, `contact_id`) SELECT i.`occurred_at`, p.`interaction_id`, p.`contact_id` FROM `participations` AS p JOIN `interactions` AS i ON i.`id` = p.`interaction_id`;
-- Drop "participations" table after copying rows
DROP TABLE `participations`;
-- Rename temporary table "new_participations" to "participations"
ALTER TABLE `new_participations` RENAME TO `participations`;
-- Create index "participation_contact_id_occurred_at_interaction_id" to table: "participations"
CREATE INDEX `participation_contact_id_occurred_at_interaction_id` ON `participations` (`contact_id`, `occurred_at`, `interaction_id`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
