-- Create index "nominationevidence_interaction_id" to table: "nomination_evidence"
CREATE INDEX `nominationevidence_interaction_id` ON `nomination_evidence` (`interaction_id`);
-- Create index "feed_contact_id" to table: "feeds"
CREATE INDEX `feed_contact_id` ON `feeds` (`contact_id`);
