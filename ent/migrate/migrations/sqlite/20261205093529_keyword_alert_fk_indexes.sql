-- Create index "keywordalert_feed_post_id" to table: "keyword_alerts"
CREATE INDEX `keywordalert_feed_post_id` ON `keyword_alerts` (`feed_post_id`);
-- Create index "keywordalert_task_id" to table: "keyword_alerts"
CREATE INDEX `keywordalert_task_id` ON `keyword_alerts` (`task_id`);
