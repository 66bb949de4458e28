ALTER TABLE `email_outbox` ADD `expires_at` integer;--> statement-breakpoint
UPDATE `email_outbox` SET `expires_at` = `created_at` + 604800000 WHERE `state` IN ('queued', 'sending');
