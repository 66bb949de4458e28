/**
 * The mail outbox's states (db/schema/activity.ts, EMAIL_STATES) and the moves between them.
 *
 * Each message is claimed in its own `BEGIN IMMEDIATE` write before it is sent (queued → sending,
 * with a lease), so two senders (worker processes, the CLI) never both take it. A sender that
 * dies mid-send leaves the lease behind; once it expires the message is claimed again, so a
 * message can go out twice only when a sender stops between the SMTP server's acceptance and
 * the write that marks it sent (at-least-once in that window).
 */
import { and, count, eq, lte, or } from 'drizzle-orm';
import type { Db, DbOrTx } from '@db/client';
import { write } from '@db/client';
import { emailOutbox, type EmailState } from '@db/schema';

/** The wait after the 1st, 2nd, … failed attempt; the attempt after the last wait is the last. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/**
 * How long mail without a token of its own (invitations, notices) is worth sending. A week covers
 * any outage or retry schedule (the last retry comes within a day), while an installation that
 * switches SMTP_URL on late does not send months-old news. Mail carrying a link that expires
 * (password reset, address verification) expires with its token instead. Migration 0023 gave
 * mail already waiting then the same week from when it was queued.
 */
export const MAIL_LIFETIME_MS = 7 * 24 * 3_600_000;
/** Longer than one message can take: nodemailer's timeouts (src/lib/mail/delivery.ts) end it first. */
export const CLAIM_LEASE_MS = 5 * 60_000;

export type ClaimedMail = typeof emailOutbox.$inferSelect & { messageId: string };

const due = (now: Date) =>
  or(
    and(eq(emailOutbox.state, 'queued'), lte(emailOutbox.nextAttemptAt, now)),
    and(eq(emailOutbox.state, 'sending'), lte(emailOutbox.claimedUntil, now)),
  );

/** A read, so an idle outbox costs the drain loop no write lock. */
export function hasDueMail(db: DbOrTx, now = new Date()): boolean {
  return db.select({ id: emailOutbox.id }).from(emailOutbox).where(due(now)).limit(1).get() !== undefined;
}

/**
 * Takes the next due message for this sender: a queued one whose time has come, or one whose
 * sender's lease ran out. `messageId` is used if the message has none yet (its first attempt).
 */
export function claimNextMail(db: Db, messageId: string, { now = new Date(), leaseMs = CLAIM_LEASE_MS } = {}): ClaimedMail | undefined {
  return write(db, (tx) => {
    for (;;) {
      const row = tx.select().from(emailOutbox).where(due(now)).orderBy(emailOutbox.nextAttemptAt, emailOutbox.id).limit(1).get();
      if (!row) return undefined;
      if (row.expiresAt && row.expiresAt <= now) {
        // its link no longer works, or its news is stale: never sent, never retried
        tx.update(emailOutbox).set({ state: 'expired', claimedUntil: null }).where(eq(emailOutbox.id, row.id)).run();
        continue;
      }
      if (row.state === 'sending' && row.attempts >= MAX_ATTEMPTS) {
        // its last attempt's sender stopped without a word: nothing left to try
        tx.update(emailOutbox)
          .set({ state: 'dead', claimedUntil: null, lastError: row.lastError ?? 'The last attempt was interrupted (the sender stopped).' })
          .where(eq(emailOutbox.id, row.id))
          .run();
        continue;
      }
      const claimed = {
        state: 'sending' as const,
        attempts: row.attempts + 1,
        claimedUntil: new Date(now.getTime() + leaseMs),
        messageId: row.messageId ?? messageId,
      };
      tx.update(emailOutbox).set(claimed).where(eq(emailOutbox.id, row.id)).run();
      return { ...row, ...claimed };
    }
  });
}

/** The SMTP server took the message. */
export function markMailSent(db: Db, id: number, now = new Date()) {
  write(db, (tx) =>
    tx.update(emailOutbox)
      .set({ state: 'sent', sentAt: now, claimedUntil: null, lastError: null })
      .where(and(eq(emailOutbox.id, id), eq(emailOutbox.state, 'sending')))
      .run(),
  );
}

/**
 * The attempt failed: back to the queue after the next delay, or to the dead letter when the
 * failure is permanent (the server refused it with a 5xx answer) or no attempts are left.
 */
export function markMailFailed(db: Db, mail: Pick<ClaimedMail, 'id' | 'attempts'>, error: string, permanent: boolean, now = new Date()): 'retrying' | 'dead' {
  const outcome = permanent || mail.attempts >= MAX_ATTEMPTS ? 'dead' : 'retrying';
  const change =
    outcome === 'dead'
      ? { state: 'dead' as const }
      : { state: 'queued' as const, nextAttemptAt: new Date(now.getTime() + RETRY_DELAYS_MS[mail.attempts - 1]!) };
  write(db, (tx) =>
    tx.update(emailOutbox)
      .set({ ...change, claimedUntil: null, lastError: error.slice(0, 1000) })
      .where(and(eq(emailOutbox.id, mail.id), eq(emailOutbox.state, 'sending')))
      .run(),
  );
  return outcome;
}

/**
 * Puts a queued or dead message up for sending at once, with a fresh set of attempts. Returns
 * the row as it was, or undefined when there is no such message; the caller checks the state.
 * Mail that is sent, being sent or expired stays as it is.
 */
export function requeueMail(tx: DbOrTx, id: number, now = new Date()) {
  const row = tx.select().from(emailOutbox).where(eq(emailOutbox.id, id)).get();
  if (!row || row.state === 'sent' || row.state === 'sending' || row.state === 'expired') return row;
  tx.update(emailOutbox).set({ state: 'queued', attempts: 0, nextAttemptAt: now, claimedUntil: null }).where(eq(emailOutbox.id, id)).run();
  return row;
}

/** How many messages are in each state. */
export function mailCounts(db: DbOrTx): Record<EmailState, number> {
  const counts = { queued: 0, sending: 0, sent: 0, dead: 0, expired: 0 };
  for (const row of db.select({ state: emailOutbox.state, n: count() }).from(emailOutbox).groupBy(emailOutbox.state).all()) counts[row.state] = row.n;
  return counts;
}
