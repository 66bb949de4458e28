CREATE TABLE `calendar_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_unique` ON `calendar_feeds` (`token`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`enrollment_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`course_id` integer NOT NULL,
	`recipient_name` text NOT NULL,
	`course_title` text NOT NULL,
	`course_title_zh` text,
	`providers` text NOT NULL,
	`session_starts_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`enrollment_id`) REFERENCES `enrollments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_code_unique` ON `certificates` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_enrollment_unique` ON `certificates` (`enrollment_id`);--> statement-breakpoint
CREATE TABLE `course_partners` (
	`course_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	PRIMARY KEY(`course_id`, `organization_id`),
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `course_partners_org_idx` ON `course_partners` (`organization_id`);--> statement-breakpoint
CREATE TABLE `course_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`timezone` text NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`online_url` text,
	`capacity` integer NOT NULL,
	`enrolled_count` integer DEFAULT 0 NOT NULL,
	`waitlist_limit` integer DEFAULT 0 NOT NULL,
	`waitlist_seq` integer DEFAULT 0 NOT NULL,
	`enrollment_opens_at` integer NOT NULL,
	`enrollment_closes_at` integer NOT NULL,
	`cancellation_deadline` integer NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`cancel_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "course_sessions_seats" CHECK("course_sessions"."enrolled_count" >= 0 AND "course_sessions"."enrolled_count" <= "course_sessions"."capacity"),
	CONSTRAINT "course_sessions_capacity" CHECK("course_sessions"."capacity" >= 0 AND "course_sessions"."waitlist_limit" >= 0),
	CONSTRAINT "course_sessions_times" CHECK("course_sessions"."ends_at" > "course_sessions"."starts_at")
);
--> statement-breakpoint
CREATE INDEX `course_sessions_course_idx` ON `course_sessions` (`course_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `courses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`title` text NOT NULL,
	`title_zh` text,
	`summary` text NOT NULL,
	`summary_zh` text,
	`description_md` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`languages` text NOT NULL,
	`mode` text NOT NULL,
	`level` text DEFAULT 'beginner' NOT NULL,
	`prerequisites` text DEFAULT '' NOT NULL,
	`price_cny` integer DEFAULT 0 NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`published_at` integer,
	`next_starts_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "courses_price_nonnegative" CHECK("courses"."price_cny" >= 0)
);
--> statement-breakpoint
CREATE INDEX `courses_status_published_idx` ON `courses` (`status`,`published_at`);--> statement-breakpoint
CREATE INDEX `courses_status_next_idx` ON `courses` (`status`,`next_starts_at`);--> statement-breakpoint
CREATE INDEX `courses_organization_idx` ON `courses` (`organization_id`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`waitlist_position` integer,
	`enrolled_at` integer,
	`promoted_at` integer,
	`ended_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `course_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_live_unique` ON `enrollments` (`session_id`,`user_id`) WHERE status IN ('enrolled', 'waitlisted', 'completed', 'not_completed');--> statement-breakpoint
CREATE UNIQUE INDEX `enrollments_waitlist_position_unique` ON `enrollments` (`session_id`,`waitlist_position`);--> statement-breakpoint
CREATE INDEX `enrollments_session_status_idx` ON `enrollments` (`session_id`,`status`,`waitlist_position`);--> statement-breakpoint
CREATE INDEX `enrollments_user_idx` ON `enrollments` (`user_id`);--> statement-breakpoint
CREATE TABLE `standard_body_settings` (
	`organization_id` integer PRIMARY KEY NOT NULL,
	`quorum_numerator` integer DEFAULT 2 NOT NULL,
	`quorum_denominator` integer DEFAULT 3 NOT NULL,
	`pass_numerator` integer DEFAULT 3 NOT NULL,
	`pass_denominator` integer DEFAULT 4 NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "standard_body_settings_check" CHECK("standard_body_settings"."quorum_denominator" > 0 AND "standard_body_settings"."pass_denominator" > 0 AND "standard_body_settings"."quorum_numerator" <= "standard_body_settings"."quorum_denominator" AND "standard_body_settings"."pass_numerator" <= "standard_body_settings"."pass_denominator")
);
--> statement-breakpoint
CREATE TABLE `standard_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`standard_id` integer NOT NULL,
	`version_number` integer NOT NULL,
	`clause` text NOT NULL,
	`original_text` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`text` text NOT NULL,
	`proposed_change` text,
	`author_id` text,
	`made_during` text NOT NULL,
	`decision` text,
	`disposition_reason` text,
	`resolved_in_version` integer,
	`disposed_by` text,
	`disposed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`standard_id`) REFERENCES `standards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`disposed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `standard_comments_idx` ON `standard_comments` (`standard_id`,`id`);--> statement-breakpoint
CREATE TABLE `standard_number_counters` (
	`organization_id` integer NOT NULL,
	`year` integer NOT NULL,
	`last_sequence` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `year`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `standard_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`standard_id` integer NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`actor_id` text,
	`reason` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`standard_id`) REFERENCES `standards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `standard_transitions_idx` ON `standard_transitions` (`standard_id`,`at`);--> statement-breakpoint
CREATE TABLE `standard_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`standard_id` integer NOT NULL,
	`number` integer NOT NULL,
	`body_md` text NOT NULL,
	`note` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`standard_id`) REFERENCES `standards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `standard_versions_unique` ON `standard_versions` (`standard_id`,`number`);--> statement-breakpoint
CREATE TABLE `standard_votes` (
	`standard_id` integer NOT NULL,
	`round` integer NOT NULL,
	`user_id` text NOT NULL,
	`position` text NOT NULL,
	`reason` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`standard_id`, `round`, `user_id`),
	FOREIGN KEY (`standard_id`) REFERENCES `standards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "standard_votes_reason_check" CHECK("standard_votes"."position" <> 'disapprove' OR length(trim(coalesce("standard_votes"."reason", ''))) > 0)
);
--> statement-breakpoint
CREATE TABLE `standards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`title` text NOT NULL,
	`title_zh` text,
	`scope_md` text DEFAULT '' NOT NULL,
	`state` text DEFAULT 'proposed' NOT NULL,
	`stage_code` text DEFAULT '00.00' NOT NULL,
	`ever_public` integer DEFAULT false NOT NULL,
	`comment_period_days` integer,
	`comment_opens_at` integer,
	`comment_closes_at` integer,
	`ballot_round` integer DEFAULT 0 NOT NULL,
	`number` text,
	`number_year` integer,
	`number_sequence` integer,
	`published_at` integer,
	`effective_date` text,
	`revision_of` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "standards_comment_period_check" CHECK("standards"."comment_period_days" IS NULL OR "standards"."comment_period_days" >= 30)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `standards_number_unique` ON `standards` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `standards_org_year_seq_unique` ON `standards` (`organization_id`,`number_year`,`number_sequence`);--> statement-breakpoint
CREATE INDEX `standards_org_state_idx` ON `standards` (`organization_id`,`state`);