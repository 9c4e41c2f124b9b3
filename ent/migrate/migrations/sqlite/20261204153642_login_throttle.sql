-- Create "login_throttles" table
CREATE TABLE `login_throttles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `key` text NOT NULL, `window_start` integer NOT NULL, `count` integer NOT NULL DEFAULT (0));
-- Create index "login_throttles_key_key" to table: "login_throttles"
CREATE UNIQUE INDEX `login_throttles_key_key` ON `login_throttles` (`key`);
-- Create index "loginthrottle_window_start" to table: "login_throttles"
CREATE INDEX `loginthrottle_window_start` ON `login_throttles` (`window_start`);
