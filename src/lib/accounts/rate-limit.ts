/**
 * Fixed-window rate limits kept in the database (every app process shares them).
 * Thresholds come from the environment; see README "Configuration".
 */
import { eq, sql } from 'drizzle-orm';
import { write, type DbOrTx } from '@db/client';
import { rateLimits } from '@db/schema';
import { TooManyRequests } from '~/lib/errors';

export interface Limit {
  /** Attempts allowed per window. */
  max: number;
  windowSeconds: number;
  /** How long the key stays blocked once the limit is passed. */
  blockSeconds: number;
}

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const limits = {
  /** Sign-in attempts for one account; a successful one clears the count. */
  get signInAccount(): Limit {
    return { max: envInt('RATE_SIGNIN_ACCOUNT_MAX', 5), windowSeconds: 15 * 60, blockSeconds: envInt('RATE_SIGNIN_BLOCK_SECONDS', 15 * 60) };
  },
  /** Sign-in attempts from one IP address, a successful one given back (a campus shares one, so it is generous). */
  get signInIp(): Limit {
    return { max: envInt('RATE_SIGNIN_IP_MAX', 50), windowSeconds: 15 * 60, blockSeconds: envInt('RATE_SIGNIN_BLOCK_SECONDS', 15 * 60) };
  },
  /** Password-reset requests from one IP address. */
  get resetIp(): Limit {
    return { max: envInt('RATE_RESET_IP_MAX', 10), windowSeconds: 60 * 60, blockSeconds: 60 * 60 };
  },
};

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/**
 * Counts one attempt against every key before the attempt is checked, in one `BEGIN IMMEDIATE`
 * write, so concurrent attempts (other requests, other processes) cannot all pass a check made
 * before any of them was counted. Refuses with 429 while a key is blocked or its window's
 * allowance is spent (which then blocks it); a refused attempt counts against no key.
 * A block that has run out starts a fresh window.
 */
export function takeAttempt(db: DbOrTx, keys: { key: string; limit: Limit }[]) {
  const now = nowSeconds();
  const waitSeconds = write(db, (tx) => {
    const rows = keys.map(({ key, limit }) => {
      const row = tx.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
      const fresh = !row || row.windowStart + limit.windowSeconds <= now || (row.blockedUntil !== null && row.blockedUntil <= now);
      return { key, limit, row, fresh, count: fresh ? 0 : row.count };
    });
    const refused = rows.flatMap(({ key, limit, row, fresh, count }) => {
      if (!fresh && row!.blockedUntil !== null) return [row!.blockedUntil];
      if (count < limit.max) return [];
      const blockedUntil = now + limit.blockSeconds;
      tx.update(rateLimits).set({ blockedUntil }).where(eq(rateLimits.key, key)).run();
      return [blockedUntil];
    });
    if (refused.length) return Math.max(...refused) - now;
    for (const { key, row, fresh, count } of rows) {
      const values = { windowStart: fresh ? now : row!.windowStart, count: count + 1, blockedUntil: null };
      tx.insert(rateLimits).values({ key, ...values }).onConflictDoUpdate({ target: rateLimits.key, set: values }).run();
    }
    return 0;
  });
  if (waitSeconds > 0) throw new TooManyRequests('Too many attempts. Wait a little and try again.', waitSeconds);
}

/** Gives back one attempt counted against `key` (a sign-in that succeeded). */
export function refundAttempt(db: DbOrTx, key: string) {
  db.update(rateLimits)
    .set({ count: sql`max(${rateLimits.count} - 1, 0)` })
    .where(eq(rateLimits.key, key))
    .run();
}

export function clear(db: DbOrTx, key: string) {
  db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
}
