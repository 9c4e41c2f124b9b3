-- Drop index "contactemail_address" from table: "contact_emails"
DROP INDEX "contactemail_address";
-- Create index "contactemail_address" to table: "contact_emails"
CREATE INDEX "contactemail_address" ON "contact_emails" ("address" varchar_pattern_ops);
-- Drop index "socialprofile_platform_handle" from table: "social_profiles"
DROP INDEX "socialprofile_platform_handle";
-- Create index "socialprofile_platform_handle" to table: "social_profiles"
CREATE UNIQUE INDEX "socialprofile_platform_handle" ON "social_profiles" ("platform" varchar_pattern_ops, "handle" varchar_pattern_ops);
