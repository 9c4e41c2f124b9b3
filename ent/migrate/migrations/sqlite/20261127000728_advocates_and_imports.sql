-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_contacts" table
CREATE TABLE `new_contacts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL DEFAULT ('journalist'), `first_name` text NOT NULL DEFAULT (''), `last_name` text NOT NULL DEFAULT (''), `title` text NOT NULL DEFAULT (''), `bio` text NOT NULL DEFAULT (''), `languages` json NULL, `city` text NOT NULL DEFAULT (''), `region` text NOT NULL DEFAULT (''), `country` text NOT NULL DEFAULT (''), `phones` json NULL, `stage` text NOT NULL DEFAULT ('unknown'), `lawful_basis` text NOT NULL DEFAULT ('legitimate_interest'), `consent_state` text NOT NULL DEFAULT ('none'), `consent_at` datetime NULL, `consent_source` text NOT NULL DEFAULT (''), `do_not_contact` bool NOT NULL DEFAULT (false), `last_interaction_at` datetime NULL, `reach` integer NOT NULL DEFAULT (0), `health` integer NOT NULL DEFAULT (0), `touch_due_at` datetime NULL, `version` integer NOT NULL DEFAULT (1), `owner_id` integer NULL, CONSTRAINT `contacts_users_contacts` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "contacts" to new temporary table "new_contacts"
INSERT INTO `new_contacts` (`id`, `created_at`, `updated_at`, `kind`, `first_name`, `last_name`, `title`, `bio`, `languages`, `city`, `region`, `country`, `phones`, `stage`, `lawful_basis`, `consent_state`, `consent_at`, `consent_source`, `do_not_contact`, `last_interaction_at`, `reach`, `version`, `owner_id`) SELECT `id`, `created_at`, `updated_at`, `kind`, `first_name`, `last_name`, `title`, `bio`, `languages`, `city`, `region`, `country`, `phones`, `stage`, `lawful_basis`, `consent_state`, `consent_at`, `consent_source`, `do_not_contact`, `last_interaction_at`, `reach`, `version`, `owner_id` FROM `contacts`;
-- Drop "contacts" table after copying rows
DROP TABLE `contacts`;
-- Rename temporary table "new_contacts" to "contacts"
ALTER TABLE `new_contacts` RENAME TO `contacts`;
-- Create index "contact_owner_id" to table: "contacts"
CREATE INDEX `contact_owner_id` ON `contacts` (`owner_id`);
-- Create index "contact_last_name_first_name" to table: "contacts"
CREATE INDEX `contact_last_name_first_name` ON `contacts` (`last_name`, `first_name`);
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
-- Create "new_interactions" table
CREATE TABLE `new_interactions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `direction` text NOT NULL DEFAULT ('outbound'), `occurred_at` datetime NOT NULL, `subject` text NOT NULL DEFAULT (''), `body` text NOT NULL DEFAULT (''), `sentiment` text NOT NULL DEFAULT ('neutral'), `nomination_evidence` integer NULL, `author_id` integer NULL, CONSTRAINT `interactions_nominations_evidence` FOREIGN KEY (`nomination_evidence`) REFERENCES `nominations` (`id`) ON DELETE SET NULL, CONSTRAINT `interactions_users_interactions` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
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
-- Create "follower_snapshots" table
CREATE TABLE `follower_snapshots` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `followers` integer NOT NULL, `at` datetime NOT NULL, `social_profile_id` integer NOT NULL, CONSTRAINT `follower_snapshots_social_profiles_history` FOREIGN KEY (`social_profile_id`) REFERENCES `social_profiles` (`id`) ON DELETE CASCADE);
-- Create index "followersnapshot_social_profile_id_at" to table: "follower_snapshots"
CREATE INDEX `followersnapshot_social_profile_id_at` ON `follower_snapshots` (`social_profile_id`, `at`);
-- Create "import_jobs" table
CREATE TABLE `import_jobs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `filename` text NOT NULL, `format` text NOT NULL, `encoding` text NOT NULL DEFAULT (''), `delimiter` text NOT NULL DEFAULT (''), `sheet` text NOT NULL DEFAULT (''), `file` blob NULL, `mapping` json NULL, `status` text NOT NULL DEFAULT ('uploaded'), `total_rows` integer NOT NULL DEFAULT (0), `processed_rows` integer NOT NULL DEFAULT (0), `created_count` integer NOT NULL DEFAULT (0), `updated_count` integer NOT NULL DEFAULT (0), `unchanged_count` integer NOT NULL DEFAULT (0), `error_count` integer NOT NULL DEFAULT (0), `message` text NOT NULL DEFAULT (''), `worker` text NOT NULL DEFAULT (''), `heartbeat_at` datetime NULL, `created_at` datetime NOT NULL, `started_at` datetime NULL, `finished_at` datetime NULL, `user_id` integer NULL, CONSTRAINT `import_jobs_users_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "importjob_user_id" to table: "import_jobs"
CREATE INDEX `importjob_user_id` ON `import_jobs` (`user_id`);
-- Create index "importjob_status" to table: "import_jobs"
CREATE INDEX `importjob_status` ON `import_jobs` (`status`);
-- Create "import_mappings" table
CREATE TABLE `import_mappings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `user_id` integer NULL, `mapping` json NOT NULL, `created_at` datetime NOT NULL);
-- Create index "import_mappings_name_key" to table: "import_mappings"
CREATE UNIQUE INDEX `import_mappings_name_key` ON `import_mappings` (`name`);
-- Create "import_rows" table
CREATE TABLE `import_rows` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `row_no` integer NOT NULL, `action` text NOT NULL, `contact_id` integer NULL, `reason` text NOT NULL DEFAULT (''), `raw` json NULL, `before` json NULL, `dry_run` bool NOT NULL DEFAULT (false), `import_id` integer NOT NULL, CONSTRAINT `import_rows_import_jobs_rows` FOREIGN KEY (`import_id`) REFERENCES `import_jobs` (`id`) ON DELETE CASCADE);
-- Create index "importrow_import_id_dry_run_row_no" to table: "import_rows"
CREATE INDEX `importrow_import_id_dry_run_row_no` ON `import_rows` (`import_id`, `dry_run`, `row_no`);
-- Create index "importrow_contact_id" to table: "import_rows"
CREATE INDEX `importrow_contact_id` ON `import_rows` (`contact_id`);
-- Create "nominations" table
CREATE TABLE `nominations` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL DEFAULT ('promote'), `reason` text NOT NULL, `evidence_links` json NULL, `status` text NOT NULL DEFAULT ('open'), `created_at` datetime NOT NULL, `decided_at` datetime NULL, `contact_id` integer NOT NULL, `nominated_by_id` integer NULL, CONSTRAINT `nominations_contacts_nominations` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `nominations_users_nominated_by` FOREIGN KEY (`nominated_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "nomination_contact_id" to table: "nominations"
CREATE INDEX `nomination_contact_id` ON `nominations` (`contact_id`);
-- Create index "nomination_nominated_by_id" to table: "nominations"
CREATE INDEX `nomination_nominated_by_id` ON `nominations` (`nominated_by_id`);
-- Create index "nomination_status_created_at" to table: "nominations"
CREATE INDEX `nomination_status_created_at` ON `nominations` (`status`, `created_at`);
-- Create "nomination_decisions" table
CREATE TABLE `nomination_decisions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `decision` text NOT NULL, `comment` text NOT NULL DEFAULT (''), `at` datetime NOT NULL, `nomination_id` integer NOT NULL, `decided_by_id` integer NULL, CONSTRAINT `nomination_decisions_nominations_decisions` FOREIGN KEY (`nomination_id`) REFERENCES `nominations` (`id`) ON DELETE CASCADE, CONSTRAINT `nomination_decisions_users_decided_by` FOREIGN KEY (`decided_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "nominationdecision_nomination_id" to table: "nomination_decisions"
CREATE INDEX `nominationdecision_nomination_id` ON `nomination_decisions` (`nomination_id`);
-- Create index "nominationdecision_decided_by_id" to table: "nomination_decisions"
CREATE INDEX `nominationdecision_decided_by_id` ON `nomination_decisions` (`decided_by_id`);
-- Create "stage_settings" table
CREATE TABLE `stage_settings` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `stage` text NOT NULL, `label` text NOT NULL, `cadence_days` integer NOT NULL, `position` integer NOT NULL DEFAULT (0));
-- Create index "stage_settings_stage_key" to table: "stage_settings"
CREATE UNIQUE INDEX `stage_settings_stage_key` ON `stage_settings` (`stage`);
-- Create "tasks" table
CREATE TABLE `tasks` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `title` text NOT NULL, `due_at` datetime NOT NULL, `done_at` datetime NULL, `done_by_interaction_id` integer NULL, `created_at` datetime NOT NULL, `contact_id` integer NOT NULL, `assignee_id` integer NULL, `created_by_id` integer NULL, CONSTRAINT `tasks_contacts_tasks` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `tasks_users_assignee` FOREIGN KEY (`assignee_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `tasks_users_created_by` FOREIGN KEY (`created_by_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "task_contact_id" to table: "tasks"
CREATE INDEX `task_contact_id` ON `tasks` (`contact_id`);
-- Create index "task_assignee_id_done_at_due_at" to table: "tasks"
CREATE INDEX `task_assignee_id_done_at_due_at` ON `tasks` (`assignee_id`, `done_at`, `due_at`);
-- Create index "task_created_by_id" to table: "tasks"
CREATE INDEX `task_created_by_id` ON `tasks` (`created_by_id`);
-- Create index "task_done_at_due_at" to table: "tasks"
CREATE INDEX `task_done_at_due_at` ON `tasks` (`done_at`, `due_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
