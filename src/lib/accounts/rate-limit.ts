/**
 * Fixed-window rate limits kept in the database (every app process shares them).
 * Thresholds come from the environment; see README "Configuration".
 */
import { eq } from 'drizzle-orm';
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
  /** Failed sign-ins for one account. */
  get signInAccount(): Limit {
    return { max: envInt('RATE_SIGNIN_ACCOUNT_MAX', 5), windowSeconds: 15 * 60, blockSeconds: envInt('RATE_SIGNIN_BLOCK_SECONDS', 15 * 60) };
  },
  /** Failed sign-ins from one IP address (a campus shares one, so it is generous). */
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

/** Throws 429 while `key` is blocked. */
export function assertNotBlocked(db: DbOrTx, key: string) {
  const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
  const now = nowSeconds();
  if (row?.blockedUntil && row.blockedUntil > now) {
    throw new TooManyRequests('Too many attempts. Wait a little and try again.', row.blockedUntil - now);
  }
}

/** Counts one attempt against `key`; blocks it once the window's allowance is spent. */
export function hit(db: DbOrTx, key: string, limit: Limit) {
  write(db, (tx) => {
    const now = nowSeconds();
    const row = tx.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
    const fresh = !row || row.windowStart + limit.windowSeconds <= now;
    const count = fresh ? 1 : row.count + 1;
    const blockedUntil = count >= limit.max ? now + limit.blockSeconds : row?.blockedUntil && !fresh ? row.blockedUntil : null;
    tx.insert(rateLimits)
      .values({ key, windowStart: fresh ? now : row.windowStart, count, blockedUntil })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: { windowStart: fresh ? now : row!.windowStart, count, blockedUntil },
      })
      .run();
  });
}

export function clear(db: DbOrTx, key: string) {
  db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
}
