ALTER TABLE `email_outbox` ADD `state` text DEFAULT 'queued' NOT NULL;--> statement-breakpoint
UPDATE `email_outbox` SET `state` = 'sent' WHERE `sent_at` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `next_attempt_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `claimed_until` integer;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `message_id` text;--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`state`,`next_attempt_at`);
