import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts';
import { createdAt, timestamp } from './columns';

/**
 * Append-only record of every state change. Triggers in the migration refuse UPDATE and DELETE,
 * so not even a bug in a service can rewrite history.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: createdAt(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** JSON with what changed and why. */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_subject_idx').on(t.subjectType, t.subjectId), index('audit_at_idx').on(t.at)],
);

export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    url: text('url'),
    readAt: timestamp('read_at'),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.readAt)],
);

/**
 * Where a queued mail is: waiting (`queued`, until `next_attempt_at`), claimed by one sender
 * (`sending`, until `claimed_until`), `sent`, or given up on (`dead`: refused for good, or out of
 * attempts; `expired`: its `expires_at` passed before it went out, so it never will).
 * src/lib/mail/outbox.ts moves it.
 */
export const EMAIL_STATES = ['queued', 'sending', 'sent', 'dead', 'expired'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

/** Mail waiting for the mailer (SMTP_URL) to send it; admins read it at /admin/outbox. */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    state: text('state', { enum: EMAIL_STATES }).notNull().default('queued'),
    sentAt: timestamp('sent_at'),
    /** Sending attempts started, counting one that a crash interrupted. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at')
      .notNull()
      .$defaultFn(() => new Date()),
    /** While `sending`: the claim's lease; past it, another sender may take the message again. */
    claimedUntil: timestamp('claimed_until'),
    lastError: text('last_error'),
    /** Chosen at the first attempt and kept for retries, so a receiver can spot a duplicate. */
    messageId: text('message_id'),
    /** Past this the mail is not sent (a reset link that no longer works); null: it never expires. */
    expiresAt: timestamp('expires_at'),
    createdAt: createdAt(),
  },
  (t) => [index('email_outbox_due_idx').on(t.state, t.nextAttemptAt)],
);
