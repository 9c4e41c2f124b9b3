-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `actor_id` integer NULL, `actor_name` text NOT NULL DEFAULT (''), `action` text NOT NULL, `entity` text NOT NULL DEFAULT (''), `entity_id` integer NULL, `summary` text NOT NULL DEFAULT (''), `changes` json NULL, `request_id` text NOT NULL DEFAULT (''), `ip` text NOT NULL DEFAULT (''));
-- Create index "auditevent_entity_entity_id_at" to table: "audit_events"
CREATE INDEX `auditevent_entity_entity_id_at` ON `audit_events` (`entity`, `entity_id`, `at`);
-- Create index "auditevent_actor_id_at" to table: "audit_events"
CREATE INDEX `auditevent_actor_id_at` ON `audit_events` (`actor_id`, `at`);
-- Create index "auditevent_at" to table: "audit_events"
CREATE INDEX `auditevent_at` ON `audit_events` (`at`);
-- Create index "auditevent_action_at" to table: "audit_events"
CREATE INDEX `auditevent_action_at` ON `audit_events` (`action`, `at`);
-- Create "changes" table
CREATE TABLE `changes` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `contact_id` integer NOT NULL, `created_at` datetime NOT NULL);
-- Create "contacts" table
CREATE TABLE `contacts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `kind` text NOT NULL DEFAULT ('journalist'), `first_name` text NOT NULL DEFAULT (''), `last_name` text NOT NULL DEFAULT (''), `title` text NOT NULL DEFAULT (''), `bio` text NOT NULL DEFAULT (''), `languages` json NULL, `city` text NOT NULL DEFAULT (''), `region` text NOT NULL DEFAULT (''), `country` text NOT NULL DEFAULT (''), `phones` json NULL, `stage` text NOT NULL DEFAULT ('unknown'), `lawful_basis` text NOT NULL DEFAULT ('legitimate_interest'), `consent_state` text NOT NULL DEFAULT ('none'), `consent_at` datetime NULL, `consent_source` text NOT NULL DEFAULT (''), `do_not_contact` bool NOT NULL DEFAULT (false), `last_interaction_at` datetime NULL, `reach` integer NOT NULL DEFAULT (0), `version` integer NOT NULL DEFAULT (1), `owner_id` integer NULL, CONSTRAINT `contacts_users_contacts` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
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
-- Create "contact_emails" table
CREATE TABLE `contact_emails` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `address` text NOT NULL, `type` text NOT NULL DEFAULT ('work'), `primary` bool NOT NULL DEFAULT (false), `contact_id` integer NOT NULL, CONSTRAINT `contact_emails_contacts_emails` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "contactemail_contact_id" to table: "contact_emails"
CREATE INDEX `contactemail_contact_id` ON `contact_emails` (`contact_id`);
-- Create index "contactemail_address" to table: "contact_emails"
CREATE INDEX `contactemail_address` ON `contact_emails` (`address`);
-- Create "contact_tags" table
CREATE TABLE `contact_tags` (`contact_id` integer NOT NULL, `tag_id` integer NOT NULL, PRIMARY KEY (`contact_id`, `tag_id`), CONSTRAINT `contact_tags_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `contact_tags_tags_tag` FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`) ON DELETE CASCADE);
-- Create index "contacttag_tag_id" to table: "contact_tags"
CREATE INDEX `contacttag_tag_id` ON `contact_tags` (`tag_id`);
-- Create "contact_topics" table
CREATE TABLE `contact_topics` (`contact_id` integer NOT NULL, `topic_id` integer NOT NULL, PRIMARY KEY (`contact_id`, `topic_id`), CONSTRAINT `contact_topics_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `contact_topics_topics_topic` FOREIGN KEY (`topic_id`) REFERENCES `topics` (`id`) ON DELETE CASCADE);
-- Create index "contacttopic_topic_id" to table: "contact_topics"
CREATE INDEX `contacttopic_topic_id` ON `contact_topics` (`topic_id`);
-- Create "employments" table
CREATE TABLE `employments` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `role` text NOT NULL DEFAULT (''), `started_at` datetime NULL, `ended_at` datetime NULL, `contact_id` integer NOT NULL, `outlet_id` integer NOT NULL, CONSTRAINT `employments_contacts_employments` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `employments_outlets_employments` FOREIGN KEY (`outlet_id`) REFERENCES `outlets` (`id`) ON DELETE CASCADE);
-- Create index "employment_contact_id" to table: "employments"
CREATE INDEX `employment_contact_id` ON `employments` (`contact_id`);
-- Create index "employment_outlet_id" to table: "employments"
CREATE INDEX `employment_outlet_id` ON `employments` (`outlet_id`);
-- Create "interactions" table
CREATE TABLE `interactions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `type` text NOT NULL, `direction` text NOT NULL DEFAULT ('outbound'), `occurred_at` datetime NOT NULL, `subject` text NOT NULL DEFAULT (''), `body` text NOT NULL DEFAULT (''), `sentiment` text NOT NULL DEFAULT ('neutral'), `author_id` integer NULL, CONSTRAINT `interactions_users_interactions` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "interaction_author_id" to table: "interactions"
CREATE INDEX `interaction_author_id` ON `interactions` (`author_id`);
-- Create index "interaction_occurred_at" to table: "interactions"
CREATE INDEX `interaction_occurred_at` ON `interactions` (`occurred_at`);
-- Create "outlets" table
CREATE TABLE `outlets` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `type` text NOT NULL DEFAULT ('other'), `website` text NOT NULL DEFAULT (''), `region` text NOT NULL DEFAULT (''), `audience` integer NOT NULL DEFAULT (0), `description` text NOT NULL DEFAULT (''));
-- Create index "outlet_name" to table: "outlets"
CREATE INDEX `outlet_name` ON `outlets` (`name`);
-- Create "participations" table
CREATE TABLE `participations` (`interaction_id` integer NOT NULL, `contact_id` integer NOT NULL, PRIMARY KEY (`interaction_id`, `contact_id`), CONSTRAINT `participations_interactions_interaction` FOREIGN KEY (`interaction_id`) REFERENCES `interactions` (`id`) ON DELETE CASCADE, CONSTRAINT `participations_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "participation_contact_id_interaction_id" to table: "participations"
CREATE INDEX `participation_contact_id_interaction_id` ON `participations` (`contact_id`, `interaction_id`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `token_hash` text NOT NULL, `created_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `user_agent` text NOT NULL DEFAULT (''), `ip` text NOT NULL DEFAULT (''), `user_id` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create index "session_user_id" to table: "sessions"
CREATE INDEX `session_user_id` ON `sessions` (`user_id`);
-- Create index "session_expires_at" to table: "sessions"
CREATE INDEX `session_expires_at` ON `sessions` (`expires_at`);
-- Create "social_profiles" table
CREATE TABLE `social_profiles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `platform` text NOT NULL, `handle` text NOT NULL, `url` text NOT NULL DEFAULT (''), `followers` integer NOT NULL DEFAULT (0), `engagement_rate` real NULL, `checked_at` datetime NULL, `contact_id` integer NOT NULL, CONSTRAINT `social_profiles_contacts_channels` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "socialprofile_contact_id" to table: "social_profiles"
CREATE INDEX `socialprofile_contact_id` ON `social_profiles` (`contact_id`);
-- Create index "socialprofile_platform_handle" to table: "social_profiles"
CREATE UNIQUE INDEX `socialprofile_platform_handle` ON `social_profiles` (`platform`, `handle`);
-- Create "tags" table
CREATE TABLE `tags` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL);
-- Create index "tags_name_key" to table: "tags"
CREATE UNIQUE INDEX `tags_name_key` ON `tags` (`name`);
-- Create "topics" table
CREATE TABLE `topics` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL);
-- Create index "topics_name_key" to table: "topics"
CREATE UNIQUE INDEX `topics_name_key` ON `topics` (`name`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `email` text NOT NULL, `name` text NOT NULL, `role` text NOT NULL DEFAULT ('staff'), `password_hash` text NOT NULL, `active` bool NOT NULL DEFAULT (true), `last_login_at` datetime NULL, `password_changed_at` datetime NOT NULL);
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);
