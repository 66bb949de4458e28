DROP INDEX `organizations_type_status_idx`;--> statement-breakpoint
CREATE INDEX `organizations_type_status_name_idx` ON `organizations` (`type`,`status`,`name`);--> statement-breakpoint
CREATE INDEX `organizations_status_name_idx` ON `organizations` (`status`,`name`);