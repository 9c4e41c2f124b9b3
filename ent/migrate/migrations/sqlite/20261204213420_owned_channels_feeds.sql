-- Create "feeds" table
CREATE TABLE `feeds` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `url` text NOT NULL, `etag` text NOT NULL DEFAULT (''), `last_modified` text NOT NULL DEFAULT (''), `interval_minutes` integer NOT NULL DEFAULT (60), `next_poll_at` datetime NOT NULL, `lease_until` datetime NOT NULL, `lease_owner` text NOT NULL DEFAULT (''), `polled_at` datetime NULL, `last_error` text NOT NULL DEFAULT (''), `failures` integer NOT NULL DEFAULT (0), `posts` integer NOT NULL DEFAULT (0), `social_profile_id` integer NULL, `owned_channel_id` integer NULL, `contact_id` integer NULL, CONSTRAINT `feeds_social_profiles_social_profile` FOREIGN KEY (`social_profile_id`) REFERENCES `social_profiles` (`id`) ON DELETE CASCADE, CONSTRAINT `feeds_owned_channels_owned_channel` FOREIGN KEY (`owned_channel_id`) REFERENCES `owned_channels` (`id`) ON DELETE CASCADE, CONSTRAINT `feeds_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE);
-- Create index "feed_social_profile_id" to table: "feeds"
CREATE UNIQUE INDEX `feed_social_profile_id` ON `feeds` (`social_profile_id`);
-- Create index "feed_owned_channel_id" to table: "feeds"
CREATE UNIQUE INDEX `feed_owned_channel_id` ON `feeds` (`owned_channel_id`);
-- Create index "feed_next_poll_at" to table: "feeds"
CREATE INDEX `feed_next_poll_at` ON `feeds` (`next_poll_at`);
-- Create "feed_posts" table
CREATE TABLE `feed_posts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `key` text NOT NULL, `title` text NOT NULL DEFAULT (''), `link` text NOT NULL DEFAULT (''), `summary` text NOT NULL DEFAULT (''), `published_at` datetime NOT NULL, `created_at` datetime NOT NULL, `feed_id` integer NOT NULL, `contact_id` integer NULL, `owned_channel_id` integer NULL, CONSTRAINT `feed_posts_feeds_feed` FOREIGN KEY (`feed_id`) REFERENCES `feeds` (`id`) ON DELETE CASCADE, CONSTRAINT `feed_posts_contacts_contact` FOREIGN KEY (`contact_id`) REFERENCES `contacts` (`id`) ON DELETE CASCADE, CONSTRAINT `feed_posts_owned_channels_owned_channel` FOREIGN KEY (`owned_channel_id`) REFERENCES `owned_channels` (`id`) ON DELETE CASCADE);
-- Create index "feedpost_feed_id_key" to table: "feed_posts"
CREATE UNIQUE INDEX `feedpost_feed_id_key` ON `feed_posts` (`feed_id`, `key`);
-- Create index "feedpost_contact_id_published_at" to table: "feed_posts"
CREATE INDEX `feedpost_contact_id_published_at` ON `feed_posts` (`contact_id`, `published_at`);
-- Create index "feedpost_owned_channel_id_published_at" to table: "feed_posts"
CREATE INDEX `feedpost_owned_channel_id_published_at` ON `feed_posts` (`owned_channel_id`, `published_at`);
-- Create "owned_channels" table
CREATE TABLE `owned_channels` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `platform` text NOT NULL, `handle` text NOT NULL, `url` text NOT NULL DEFAULT (''), `region` text NOT NULL DEFAULT (''), `language` text NOT NULL DEFAULT ('de'), `purpose` text NOT NULL DEFAULT ('news'), `goals` text NOT NULL DEFAULT (''), `brand_id` integer NULL, `topic_id` integer NULL, `owner_id` integer NULL, CONSTRAINT `owned_channels_brands_brand` FOREIGN KEY (`brand_id`) REFERENCES `brands` (`id`) ON DELETE SET NULL, CONSTRAINT `owned_channels_topics_topic` FOREIGN KEY (`topic_id`) REFERENCES `topics` (`id`) ON DELETE SET NULL, CONSTRAINT `owned_channels_users_owner` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE SET NULL);
-- Create index "ownedchannel_platform_handle" to table: "owned_channels"
CREATE UNIQUE INDEX `ownedchannel_platform_handle` ON `owned_channels` (`platform`, `handle`);
-- Create index "ownedchannel_region_topic_id" to table: "owned_channels"
CREATE INDEX `ownedchannel_region_topic_id` ON `owned_channels` (`region`, `topic_id`);
