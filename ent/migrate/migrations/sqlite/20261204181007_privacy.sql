-- Add column "notified_at" to table: "contacts"
ALTER TABLE `contacts` ADD COLUMN `notified_at` datetime NULL;
-- Create "consent_events" table
CREATE TABLE `consent_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `at` datetime NOT NULL, `actor_id` integer NULL, `actor_name` text NOT NULL DEFAULT (''), `changed` json NULL, `lawful_basis` text NOT NULL, `consent_state` text NOT NULL, `do_not_contact` bool NOT NULL, `source` text NOT NULL DEFAULT (''), `evidence` text NOT NULL DEFAULT (''), `wording_version` text NOT NULL DEFAULT (''), `reason` text NOT NULL DEFAULT (''), `notice_at` datetime NULL, `notice_method` text NOT NULL DEFAULT (''), `contact_id` integer NOT NULL, CONSTRAINT `consent_events_contacts_consent_events` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "consentevent_contact_id_at" to table: "consent_events"
CREATE INDEX `consentevent_contact_id_at` ON `consent_events` (`contact_id`, `at`);
-- Create "privacy_requests" table
CREATE TABLE `privacy_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `contact_id` integer NOT NULL, `status` text NOT NULL DEFAULT ('open'), `requested_at` datetime NOT NULL, `due_at` datetime NOT NULL, `done_at` datetime NULL, `requested_by_id` integer NULL, `handled_by_id` integer NULL);
-- Create index "privacyrequest_status_due_at" to table: "privacy_requests"
CREATE INDEX `privacyrequest_status_due_at` ON `privacy_requests` (`status`, `due_at`);
-- Create index "privacyrequest_contact_id" to table: "privacy_requests"
CREATE INDEX `privacyrequest_contact_id` ON `privacy_requests` (`contact_id`);
-- Create index "privacyrequest_kind_done_at" to table: "privacy_requests"
CREATE INDEX `privacyrequest_kind_done_at` ON `privacy_requests` (`kind`, `done_at`);
-- Create "retention_reviews" table
CREATE TABLE `retention_reviews` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `policy` text NOT NULL, `reason` text NOT NULL DEFAULT (''), `status` text NOT NULL DEFAULT ('open'), `found_at` datetime NOT NULL, `decided_at` datetime NULL, `decided_by_id` integer NULL, `contact_id` integer NOT NULL, CONSTRAINT `retention_reviews_contacts_retention_reviews` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "retentionreview_contact_id" to table: "retention_reviews"
CREATE UNIQUE INDEX `retentionreview_contact_id` ON `retention_reviews` (`contact_id`);
-- Create index "retentionreview_status_found_at" to table: "retention_reviews"
CREATE INDEX `retentionreview_status_found_at` ON `retention_reviews` (`status`, `found_at`);
-- Create "server_secrets" table
CREATE TABLE `server_secrets` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `value` blob NOT NULL);
-- Create index "server_secrets_name_key" to table: "server_secrets"
CREATE UNIQUE INDEX `server_secrets_name_key` ON `server_secrets` (`name`);
-- Create "suppressions" table
CREATE TABLE `suppressions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `hash` text NOT NULL, `erased_at` datetime NOT NULL);
-- Create index "suppression_hash" to table: "suppressions"
CREATE UNIQUE INDEX `suppression_hash` ON `suppressions` (`hash`);
