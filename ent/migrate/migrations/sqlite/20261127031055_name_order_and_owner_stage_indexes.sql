-- Drop index "contact_last_name_first_name" from table: "contacts"
DROP INDEX `contact_last_name_first_name`;
-- Drop index "contact_owner_id_touch_due_at" from table: "contacts"
DROP INDEX `contact_owner_id_touch_due_at`;
-- Create index "contact_last_name_first_name_id" to table: "contacts"
CREATE INDEX `contact_last_name_first_name_id` ON `contacts` (`last_name`, `first_name`, `id`);
-- Create index "contact_owner_id_stage_touch_due_at" to table: "contacts"
CREATE INDEX `contact_owner_id_stage_touch_due_at` ON `contacts` (`owner_id`, `stage`, `touch_due_at`);
