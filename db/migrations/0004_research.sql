CREATE TABLE `research_finding_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`finding_id` integer NOT NULL,
	`number` integer NOT NULL,
	`body_md` text NOT NULL,
	`changelog` text,
	`published_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `research_findings`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "research_versions_changelog" CHECK("research_finding_versions"."number" = 1 OR length(trim(coalesce("research_finding_versions"."changelog", ''))) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `research_versions_number_unique` ON `research_finding_versions` (`finding_id`,`number`);--> statement-breakpoint
CREATE TABLE `research_findings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`title_zh` text,
	`licence` text NOT NULL,
	`access` text NOT NULL,
	`embargo_until` text,
	`doi` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`published_at` integer,
	`unpublished_at` integer,
	`unpublish_reason` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `research_projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "research_findings_embargo" CHECK("research_findings"."access" <> 'embargoed' OR "research_findings"."embargo_until" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `research_findings_project_idx` ON `research_findings` (`project_id`);--> statement-breakpoint
CREATE INDEX `research_findings_published_idx` ON `research_findings` (`status`,`published_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `research_findings_doi_unique` ON `research_findings` (lower("doi"));--> statement-breakpoint
CREATE TABLE `research_funding` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`funder` text NOT NULL,
	`award_number` text,
	`amount_minor` integer,
	`currency` text,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `research_projects`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "research_funding_amount" CHECK("research_funding"."amount_minor" IS NULL OR ("research_funding"."amount_minor" >= 0 AND "research_funding"."currency" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `research_funding_project_idx` ON `research_funding` (`project_id`);--> statement-breakpoint
CREATE TABLE `research_project_organizations` (
	`project_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	`role` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `organization_id`),
	FOREIGN KEY (`project_id`) REFERENCES `research_projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `research_project_one_lead` ON `research_project_organizations` (`project_id`) WHERE role = 'lead';--> statement-breakpoint
CREATE INDEX `research_project_orgs_org_idx` ON `research_project_organizations` (`organization_id`);--> statement-breakpoint
CREATE TABLE `research_project_people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`name` text NOT NULL,
	`orcid` text,
	`role` text NOT NULL,
	`user_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `research_projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `research_people_project_idx` ON `research_project_people` (`project_id`);--> statement-breakpoint
CREATE INDEX `research_people_user_idx` ON `research_project_people` (`user_id`);--> statement-breakpoint
CREATE TABLE `research_projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`title_zh` text,
	`acronym` text,
	`abstract_md` text NOT NULL,
	`status` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`keywords` text DEFAULT '[]' NOT NULL,
	`topics` text DEFAULT '[]' NOT NULL,
	`corridors` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "research_projects_dates" CHECK("research_projects"."end_date" IS NULL OR "research_projects"."end_date" >= "research_projects"."start_date")
);
--> statement-breakpoint
CREATE INDEX `research_projects_status_idx` ON `research_projects` (`status`);--> statement-breakpoint
CREATE INDEX `research_projects_start_idx` ON `research_projects` (`start_date`);