-- Drop index "interaction_author_id" from table: "interactions"
DROP INDEX `interaction_author_id`;
-- Create index "interaction_author_id_occurred_at" to table: "interactions"
CREATE INDEX `interaction_author_id_occurred_at` ON `interactions` (`author_id`, `occurred_at`);
