-- Modify "follower_snapshots" table
ALTER TABLE "follower_snapshots" ALTER COLUMN "social_profile_id" DROP NOT NULL, ADD COLUMN "engagement" bigint NULL, ADD COLUMN "impressions" bigint NULL, ADD COLUMN "posts" bigint NULL, ADD COLUMN "source" character varying NOT NULL DEFAULT 'profile', ADD COLUMN "owned_channel_id" bigint NULL, ADD CONSTRAINT "follower_snapshots_owned_channels_owned_channel" FOREIGN KEY ("owned_channel_id") REFERENCES "owned_channels" ("id") ON UPDATE NO ACTION ON DELETE CASCADE;
-- Create index "followersnapshot_owned_channel_id_at" to table: "follower_snapshots"
CREATE INDEX "followersnapshot_owned_channel_id_at" ON "follower_snapshots" ("owned_channel_id", "at");
-- Modify "keyword_alerts" table
ALTER TABLE "keyword_alerts" ADD COLUMN "coverage_item_id" bigint NULL, ADD CONSTRAINT "keyword_alerts_coverage_items_coverage_item" FOREIGN KEY ("coverage_item_id") REFERENCES "coverage_items" ("id") ON UPDATE NO ACTION ON DELETE SET NULL;
