CREATE TABLE `credit_appeals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`assessment_id` integer,
	`certificate_id` integer,
	`entity_id` integer NOT NULL,
	`appealed_decider_id` text,
	`grounds` text NOT NULL,
	`filed_by` text,
	`state` text DEFAULT 'open' NOT NULL,
	`decider_id` text,
	`decision_reason` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `credit_assessments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`certificate_id`) REFERENCES `credit_certificates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entity_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`filed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`decider_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "credit_appeals_subject_check" CHECK(("credit_appeals"."assessment_id" IS NULL) <> ("credit_appeals"."certificate_id" IS NULL)),
	CONSTRAINT "credit_appeals_state_check" CHECK("credit_appeals"."state" in ('open','upheld','dismissed'))
);
--> statement-breakpoint
CREATE INDEX `credit_appeals_entity_idx` ON `credit_appeals` (`entity_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_appeals_one_open_assessment` ON `credit_appeals` (`assessment_id`) WHERE state = 'open' AND assessment_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `credit_appeals_one_open_certificate` ON `credit_appeals` (`certificate_id`) WHERE state = 'open' AND certificate_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `credit_assessment_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assessment_id` integer NOT NULL,
	`actor_id` text,
	`from_state` text,
	`to_state` text NOT NULL,
	`details` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `credit_assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `credit_assessment_events_idx` ON `credit_assessment_events` (`assessment_id`,`id`);--> statement-breakpoint
CREATE TABLE `credit_assessments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scheme_id` integer NOT NULL,
	`entity_id` integer NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`answers` text DEFAULT '{}' NOT NULL,
	`commitment_signed_by` text,
	`commitment_signed_at` integer,
	`request_items` text,
	`due_date` text,
	`assessor_id` text,
	`scores` text,
	`score` integer,
	`computed_grade` text,
	`grade` text,
	`override_reason` text,
	`decider_id` text,
	`decision_reason` text,
	`decided_at` integer,
	`notice_opens_at` integer,
	`notice_closes_at` integer,
	`created_by` text,
	`submitted_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`scheme_id`) REFERENCES `credit_schemes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entity_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`commitment_signed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assessor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`decider_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "credit_assessments_state_check" CHECK("credit_assessments"."state" in ('draft','submitted','screening','incomplete','scoring','decision','public_notice','granted','refused','withdrawn','lapsed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_assessments_one_live` ON `credit_assessments` (`scheme_id`,`entity_id`) WHERE state in ('draft','submitted','screening','incomplete','scoring','decision','public_notice');--> statement-breakpoint
CREATE INDEX `credit_assessments_entity_idx` ON `credit_assessments` (`entity_id`);--> statement-breakpoint
CREATE INDEX `credit_assessments_scheme_state_idx` ON `credit_assessments` (`scheme_id`,`state`);--> statement-breakpoint
CREATE INDEX `credit_assessments_state_notice_idx` ON `credit_assessments` (`state`,`notice_closes_at`);--> statement-breakpoint
CREATE TABLE `credit_certificate_counters` (
	`organization_id` integer NOT NULL,
	`year` integer NOT NULL,
	`last_sequence` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `year`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `credit_certificate_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`certificate_id` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`reason` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`certificate_id`) REFERENCES `credit_certificates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `credit_certificate_events_idx` ON `credit_certificate_events` (`certificate_id`,`at`);--> statement-breakpoint
CREATE TABLE `credit_certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`organization_id` integer NOT NULL,
	`number_year` integer NOT NULL,
	`number_sequence` integer NOT NULL,
	`scheme_id` integer NOT NULL,
	`entity_id` integer NOT NULL,
	`assessment_id` integer NOT NULL,
	`grade` text NOT NULL,
	`score` integer NOT NULL,
	`max_score` integer NOT NULL,
	`adjusted` integer DEFAULT false NOT NULL,
	`standard_number` text NOT NULL,
	`standard_version` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_until` text NOT NULL,
	`next_surveillance` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`suspended_at` integer,
	`state_reason` text,
	`ended_at` integer,
	`superseded_by` integer,
	`early_surveillance` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scheme_id`) REFERENCES `credit_schemes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entity_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assessment_id`) REFERENCES `credit_assessments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "credit_certificates_state_check" CHECK("credit_certificates"."state" in ('active','suspended','withdrawn','expired','superseded','surrendered'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_certificates_number_unique` ON `credit_certificates` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_certificates_org_year_seq_unique` ON `credit_certificates` (`organization_id`,`number_year`,`number_sequence`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_certificates_one_current` ON `credit_certificates` (`scheme_id`,`entity_id`) WHERE state in ('active','suspended');--> statement-breakpoint
CREATE INDEX `credit_certificates_state_grade_idx` ON `credit_certificates` (`state`,`grade`);--> statement-breakpoint
CREATE INDEX `credit_certificates_entity_idx` ON `credit_certificates` (`entity_id`);--> statement-breakpoint
CREATE INDEX `credit_certificates_updated_idx` ON `credit_certificates` (`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `credit_complaints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity_id` integer NOT NULL,
	`scheme_id` integer NOT NULL,
	`complainant_id` text,
	`category` text NOT NULL,
	`text` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`response_due_at` integer NOT NULL,
	`answer` text,
	`answered_by` text,
	`answered_at` integer,
	`reply` text,
	`replied_at` integer,
	`outcome` text,
	`close_reason` text,
	`closed_by` text,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`entity_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scheme_id`) REFERENCES `credit_schemes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`complainant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`answered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "credit_complaints_state_check" CHECK("credit_complaints"."state" in ('open','answered','replied','closed')),
	CONSTRAINT "credit_complaints_closed_check" CHECK(("credit_complaints"."state" = 'closed') = ("credit_complaints"."outcome" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `credit_complaints_entity_idx` ON `credit_complaints` (`entity_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `credit_complaints_scheme_state_idx` ON `credit_complaints` (`scheme_id`,`state`);--> statement-breakpoint
CREATE TABLE `credit_conflicts` (
	`user_id` text NOT NULL,
	`entity_id` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `entity_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entity_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `credit_evidence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assessment_id` integer,
	`indicator_key` text,
	`complaint_id` integer,
	`stored_name` text NOT NULL,
	`original_name` text NOT NULL,
	`type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `credit_assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`complaint_id`) REFERENCES `credit_complaints`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "credit_evidence_owner_check" CHECK(("credit_evidence"."assessment_id" IS NULL) <> ("credit_evidence"."complaint_id" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `credit_evidence_assessment_idx` ON `credit_evidence` (`assessment_id`,`indicator_key`);--> statement-breakpoint
CREATE INDEX `credit_evidence_complaint_idx` ON `credit_evidence` (`complaint_id`);--> statement-breakpoint
CREATE TABLE `credit_objections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assessment_id` integer NOT NULL,
	`author_id` text,
	`text` text NOT NULL,
	`decision` text,
	`disposition_reason` text,
	`disposed_by` text,
	`disposed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`assessment_id`) REFERENCES `credit_assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`disposed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `credit_objections_assessment_idx` ON `credit_objections` (`assessment_id`,`id`);--> statement-breakpoint
CREATE TABLE `credit_roles` (
	`organization_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `user_id`, `role`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `credit_roles_user_idx` ON `credit_roles` (`user_id`);--> statement-breakpoint
CREATE TABLE `credit_schemes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`name_zh` text,
	`standard_id` integer NOT NULL,
	`standard_number` text NOT NULL,
	`standard_version` integer NOT NULL,
	`indicator_clause` text NOT NULL,
	`band_clause` text NOT NULL,
	`indicators` text NOT NULL,
	`bands` text NOT NULL,
	`validity_months` integer DEFAULT 36 NOT NULL,
	`surveillance_months` integer DEFAULT 12 NOT NULL,
	`notice_days` integer DEFAULT 7 NOT NULL,
	`complaint_response_days` integer DEFAULT 14 NOT NULL,
	`complaint_threshold` integer DEFAULT 5 NOT NULL,
	`complaint_window_months` integer DEFAULT 12 NOT NULL,
	`commitment_text` text NOT NULL,
	`commitment_text_zh` text,
	`state` text DEFAULT 'draft' NOT NULL,
	`transition_deadline` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`standard_id`) REFERENCES `standards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "credit_schemes_state_check" CHECK("credit_schemes"."state" in ('draft','active','retired')),
	CONSTRAINT "credit_schemes_periods_check" CHECK("credit_schemes"."validity_months" > 0 AND "credit_schemes"."surveillance_months" > 0 AND "credit_schemes"."notice_days" > 0 AND "credit_schemes"."complaint_response_days" > 0 AND "credit_schemes"."complaint_threshold" > 0 AND "credit_schemes"."complaint_window_months" > 0)
);
--> statement-breakpoint
CREATE INDEX `credit_schemes_org_state_idx` ON `credit_schemes` (`organization_id`,`state`);--> statement-breakpoint
CREATE INDEX `credit_schemes_standard_idx` ON `credit_schemes` (`standard_id`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `credit_code` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_credit_code_unique` ON `organizations` (`credit_code`) WHERE credit_code IS NOT NULL;