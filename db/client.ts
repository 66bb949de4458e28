import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle; services that write take `Db | Tx` so callers can compose them. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const migrationsFolder = process.env.MIGRATIONS_DIR ?? path.resolve('db/migrations');

export function databasePath(): string {
  return process.env.DATABASE_PATH ?? path.join(process.env.DATA_DIR ?? './data', 'portal.db');
}

/** Opens (creating if needed) a SQLite file with the portal's pragmas and applies migrations. */
export function openDatabase(file = databasePath(), options: { migrate?: boolean } = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle({ client: sqlite, schema }) as Db;
  if (options.migrate !== false) migrate(db, { migrationsFolder });
  return db;
}

let shared: Db | undefined;

/** The process-wide database, opened and migrated on first use. */
export function getDb(): Db {
  shared ??= openDatabase();
  return shared;
}

/**
 * Closes the process-wide database, if it was opened (at shutdown, once no request can use it).
 * The last connection to close checkpoints the WAL into the database file.
 */
export function closeDb() {
  shared?.$client.close();
  shared = undefined;
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two writers
 * never both read a stale value and then collide (SQLITE_BUSY) at commit.
 * better-sqlite3 is synchronous, so `fn` must not await.
 */
export function write<T>(db: DbOrTx, fn: (tx: Tx) => T): T {
  if (!('$client' in db)) return fn(db as Tx); // already inside a transaction
  return db.transaction(fn, { behavior: 'immediate' });
}

export { schema };
