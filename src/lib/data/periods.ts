/**
 * Calendar periods for the themes' datasets, in Shanghai time. Timestamps are stored as
 * milliseconds since the epoch (db/schema/columns.ts); a quarter or year is the one in which the
 * instant falls on Shanghai's calendar (UTC+8 all year, no daylight saving), so 2026-03-31T16:30Z
 * is already 2026-Q2.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Seconds since the epoch, moved to Shanghai's wall clock, for SQLite's 'unixepoch' modifier. */
const shanghaiSeconds = (ms: SQLiteColumn | SQL) => sql`(${ms} / 1000 + 28800)`;

/** SQL: 'YYYY-Qn' of a millisecond timestamp in Shanghai. */
export const shanghaiQuarter = (ms: SQLiteColumn | SQL) =>
  sql<string>`strftime('%Y', ${shanghaiSeconds(ms)}, 'unixepoch') || '-Q' || ((CAST(strftime('%m', ${shanghaiSeconds(ms)}, 'unixepoch') AS INTEGER) + 2) / 3)`;

/** SQL: the year (integer) of a millisecond timestamp in Shanghai. */
export const shanghaiYear = (ms: SQLiteColumn | SQL) => sql<number>`CAST(strftime('%Y', ${shanghaiSeconds(ms)}, 'unixepoch') AS INTEGER)`;

/** Every quarter from `first` to `last` ('YYYY-Qn'), so a series has no silent gaps. */
export function quartersBetween(first: string, last: string): string[] {
  const index = (q: string) => Number(q.slice(0, 4)) * 4 + Number(q.slice(6)) - 1;
  const out: string[] = [];
  for (let i = index(first); i <= index(last); i++) out.push(`${Math.floor(i / 4)}-Q${(i % 4) + 1}`);
  return out;
}

/** Every year from `first` to `last`. */
export function yearsBetween(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/** A fraction 0–1, or null when there is nothing to divide by. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The median of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
