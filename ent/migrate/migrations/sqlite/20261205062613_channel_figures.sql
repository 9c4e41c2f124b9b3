-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_follower_snapshots" table
CREATE TABLE `new_follower_snapshots` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `followers` integer NOT NULL, `engagement` integer NULL, `impressions` integer NULL, `posts` integer NULL, `source` text NOT NULL DEFAULT ('profile'), `at` datetime NOT NULL, `owned_channel_id` integer NULL, `social_profile_id` integer NULL, CONSTRAINT `follower_snapshots_owned_channels_owned_channel` FOREIGN KEY (`owned_channel_id`) REFERENCES `owned_channels` (`id`) ON DELETE CASCADE, CONSTRAINT `follower_snapshots_social_profiles_history` FOREIGN KEY (`social_profile_id`) REFERENCES `social_profiles` (`id`) ON DELETE CASCADE);
-- Copy rows from old table "follower_snapshots" to new temporary table "new_follower_snapshots"
INSERT INTO `new_follower_snapshots` (`id`, `followers`, `at`, `social_profile_id`) SELECT `id`, `followers`, `at`, `social_profile_id` FROM `follower_snapshots`;
-- Drop "follower_snapshots" table after copying rows
DROP TABLE `follower_snapshots`;
-- Rename temporary table "new_follower_snapshots" to "follower_snapshots"
ALTER TABLE `new_follower_snapshots` RENAME TO `follower_snapshots`;
-- Create index "followersnapshot_social_profile_id_at" to table: "follower_snapshots"
CREATE INDEX `followersnapshot_social_profile_id_at` ON `follower_snapshots` (`social_profile_id`, `at`);
-- Create index "followersnapshot_owned_channel_id_at" to table: "follower_snapshots"
CREATE INDEX `followersnapshot_owned_channel_id_at` ON `follower_snapshots` (`owned_channel_id`, `at`);
-- Create "new_keyword_alerts" table
CREATE TABLE `new_keyword_alerts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `recommendation` bool NOT NULL DEFAULT (false), `created_at` datetime NOT NULL, `rule_id` integer NOT NULL, `feed_post_id` integer NOT NULL, `campaign_id` integer NULL, `task_id` integer NULL, `coverage_item_id` integer NULL, CONSTRAINT `keyword_alerts_keyword_rules_rule` FOREIGN KEY (`rule_id`) REFERENCES `keyword_rules` (`id`) ON DELETE CASCADE, CONSTRAINT `keyword_alerts_feed_posts_post` FOREIGN KEY (`feed_post_id`) REFERENCES `feed_posts` (`id`) ON DELETE CASCADE, CONSTRAINT `keyword_alerts_campaigns_campaign` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns` (`id`) ON DELETE SET NULL, CONSTRAINT `keyword_alerts_tasks_task` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`id`) ON DELETE SET NULL, CONSTRAINT `keyword_alerts_coverage_items_coverage_item` FOREIGN KEY (`coverage_item_id`) REFERENCES `coverage_items` (`id`) ON DELETE SET NULL);
-- Copy rows from old table "keyword_alerts" to new temporary table "new_keyword_alerts"
INSERT INTO `new_keyword_alerts` (`id`, `recommendation`, `created_at`, `rule_id`, `feed_post_id`, `campaign_id`, `task_id`) SELECT `id`, `recommendation`, `created_at`, `rule_id`, `feed_post_id`, `campaign_id`, `task_id` FROM `keyword_alerts`;
-- Drop "keyword_alerts" table after copying rows
DROP TABLE `keyword_alerts`;
-- Rename temporary table "new_keyword_alerts" to "keyword_alerts"
ALTER TABLE `new_keyword_alerts` RENAME TO `keyword_alerts`;
-- Create index "keywordalert_rule_id_feed_post_id" to table: "keyword_alerts"
CREATE UNIQUE INDEX `keywordalert_rule_id_feed_post_id` ON `keyword_alerts` (`rule_id`, `feed_post_id`);
-- Create index "keywordalert_campaign_id_created_at" to table: "keyword_alerts"
CREATE INDEX `keywordalert_campaign_id_created_at` ON `keyword_alerts` (`campaign_id`, `created_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;
