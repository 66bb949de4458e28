/**
 * Credit certification's scheduled check: every CREDIT_SCHEDULE_INTERVAL_MS (default a minute; 0
 * turns it off) in each server process, started by src/cli/serve.mjs. It applies certificates'
 * deadlines (expiry, missed surveillance, six months suspended) and the other parts' checks listed
 * in CREDIT_DEADLINE_CHECKS. Every check also runs on access to what it concerns (a certificate is
 * refreshed when it is read), so a stopped timer never lets a deadline pass unnoticed; and each
 * change is made in a transaction that reads its row again, so two processes apply it once.
 */
import { getDb, type Db } from '@db/client';
import { lapseOverdueAssessments } from './assessments';
import { applyCertificateDeadlines } from './certificates';

/** One deadline check: applies what is due at `now`, and may say how many changes it made. */
export type CreditDeadlineCheck = (db: Db, now: Date) => number | void;

/** Every deadline of credit certification: certificates (expiry, surveillance, suspension) and screening requests that lapse. */
export const CREDIT_DEADLINE_CHECKS: CreditDeadlineCheck[] = [applyCertificateDeadlines, (db, now) => lapseOverdueAssessments(db, now)];

/** Runs every check at `now`; one that fails does not stop the others. Returns the changes made. */
export function applyCreditDeadlines(db: Db, now: Date = new Date()): number {
  let changes = 0;
  for (const check of CREDIT_DEADLINE_CHECKS) {
    try {
      changes += check(db, now) ?? 0;
    } catch (err) {
      console.error(`credit deadline check ${check.name} failed`, err);
    }
  }
  return changes;
}

let timer: NodeJS.Timeout | undefined;

export function startCreditSchedule(env: NodeJS.ProcessEnv = process.env) {
  if (timer) return;
  const every = Number(env.CREDIT_SCHEDULE_INTERVAL_MS ?? 60_000);
  if (!(every > 0)) return;
  timer = setInterval(() => applyCreditDeadlines(getDb()), every);
  timer.unref();
}
