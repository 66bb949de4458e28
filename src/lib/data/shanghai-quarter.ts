/**
 * Open data (issue 18): the quarter an instant falls in, in Shanghai's calendar, as SQL.
 *
 * Instants are stored as milliseconds since the epoch (db/schema/columns.ts). Shanghai keeps UTC+8
 * all year (no daylight saving since 1991), so shifting by eight hours before SQLite's `strftime`
 * gives the Shanghai calendar date: 31 March 23:30 in Shanghai (15:30 UTC) is still Q1, and
 * 1 April 00:30 in Shanghai (16:30 UTC on 31 March) is already Q2.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

const SHANGHAI_OFFSET_SECONDS = 8 * 3600;

/** `YYYY-Qn` of a millisecond timestamp column, in Asia/Shanghai. */
export function shanghaiQuarter(instantMs: SQLWrapper | SQL): SQL<string> {
  const seconds = sql`(${instantMs} / 1000 + ${sql.raw(String(SHANGHAI_OFFSET_SECONDS))})`;
  return sql<string>`(strftime('%Y', ${seconds}, 'unixepoch') || '-Q' || ((cast(strftime('%m', ${seconds}, 'unixepoch') as integer) + 2) / 3))`;
}
