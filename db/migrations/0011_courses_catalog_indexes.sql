DROP INDEX `courses_status_published_idx`;--> statement-breakpoint
DROP INDEX `courses_status_next_idx`;--> statement-breakpoint
CREATE INDEX `courses_catalog_soonest_idx` ON `courses` (`status`,coalesce(`next_starts_at`, 9007199254740991),`id`,`category`,`mode`,`price_cny`,`languages`,`organization_id`,`next_starts_at`);--> statement-breakpoint
CREATE INDEX `courses_catalog_newest_idx` ON `courses` (`status`,`published_at`,`id`,`category`,`mode`,`price_cny`,`languages`,`organization_id`,`next_starts_at`);