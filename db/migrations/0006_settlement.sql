CREATE TABLE `settlement_applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`route_id` integer NOT NULL,
	`applicant_id` text NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`answers` text NOT NULL,
	`reference` text,
	`assignee_id` text,
	`recommender_id` text,
	`recommendation_codes` text,
	`recommendation_text` text,
	`decider_id` text,
	`decision_codes` text,
	`decision_text` text,
	`decided_at` integer,
	`request_items` text,
	`request_message` text,
	`due_date` text,
	`submitted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`route_id`) REFERENCES `settlement_routes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applicant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recommender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decider_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "settlement_applications_state_check" CHECK("settlement_applications"."state" in ('draft','submitted','accepted','incomplete','in_review','information_requested','recommended_approve','recommended_refuse','approved','refused','withdrawn','lapsed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_applications_reference_unique` ON `settlement_applications` (`reference`);--> statement-breakpoint
CREATE INDEX `settlement_applications_applicant_idx` ON `settlement_applications` (`applicant_id`);--> statement-breakpoint
CREATE INDEX `settlement_applications_state_idx` ON `settlement_applications` (`state`,`submitted_at`);--> statement-breakpoint
CREATE TABLE `settlement_documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`item_key` text NOT NULL,
	`stored_name` text NOT NULL,
	`original_name` text NOT NULL,
	`type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`superseded_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `settlement_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `settlement_documents_application_idx` ON `settlement_documents` (`application_id`,`item_key`);--> statement-breakpoint
CREATE TABLE `settlement_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`actor_id` text,
	`from_state` text,
	`to_state` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `settlement_applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `settlement_events_application_idx` ON `settlement_events` (`application_id`);--> statement-breakpoint
CREATE TABLE `settlement_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `settlement_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `settlement_notes_application_idx` ON `settlement_notes` (`application_id`);--> statement-breakpoint
CREATE TABLE `settlement_point_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`indicator` text NOT NULL,
	`input` text NOT NULL,
	`kind` text NOT NULL,
	`match` text,
	`min` real,
	`max` real,
	`unit` real,
	`cap` integer,
	`points` integer NOT NULL,
	`requires_input` text,
	`requires_min` real,
	`label` text NOT NULL,
	`label_zh` text NOT NULL,
	`as_of` text NOT NULL,
	`source_url` text NOT NULL,
	`source_label` text NOT NULL,
	`illustrative` integer DEFAULT true NOT NULL,
	`sort` integer DEFAULT 100 NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "settlement_rules_kind_check" CHECK("settlement_point_rules"."kind" in ('match','range','per_unit'))
);
--> statement-breakpoint
CREATE INDEX `settlement_rules_indicator_idx` ON `settlement_point_rules` (`indicator`);--> statement-breakpoint
CREATE TABLE `settlement_reference_counters` (
	`year` integer PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settlement_routes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`name_zh` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`summary_zh` text DEFAULT '' NOT NULL,
	`uses_points` integer DEFAULT false NOT NULL,
	`criteria` text NOT NULL,
	`checklist` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`sort` integer DEFAULT 100 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_routes_slug_unique` ON `settlement_routes` (`slug`);