-- Create index "coverageitem_outlet_id" to table: "coverage_items"
CREATE INDEX "coverageitem_outlet_id" ON "coverage_items" ("outlet_id");
-- Create index "keywordalert_coverage_item_id" to table: "keyword_alerts"
CREATE INDEX "keywordalert_coverage_item_id" ON "keyword_alerts" ("coverage_item_id");
-- Create index "keywordrule_campaign_id" to table: "keyword_rules"
CREATE INDEX "keywordrule_campaign_id" ON "keyword_rules" ("campaign_id");
-- Create index "keywordrule_created_by_id" to table: "keyword_rules"
CREATE INDEX "keywordrule_created_by_id" ON "keyword_rules" ("created_by_id");
-- Create index "ownedchannel_brand_id" to table: "owned_channels"
CREATE INDEX "ownedchannel_brand_id" ON "owned_channels" ("brand_id");
-- Create index "ownedchannel_owner_id" to table: "owned_channels"
CREATE INDEX "ownedchannel_owner_id" ON "owned_channels" ("owner_id");
-- Create index "ownedchannel_topic_id" to table: "owned_channels"
CREATE INDEX "ownedchannel_topic_id" ON "owned_channels" ("topic_id");
