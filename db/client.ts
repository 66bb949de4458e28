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
  // drizzle prepares every query it runs (sqlite3_prepare: parsing and planning, each time); it
  // gets a client that keeps its statements by SQL text instead. `$client` stays the connection.
  const db = drizzle({ client: statementCache(sqlite) as unknown as Database.Database, schema }) as unknown as Db;
  db.$client = sqlite;
  if (options.migrate !== false) migrate(db, { migrationsFolder });
  return db;
}

/** Distinct SQL texts whose statements drizzle's client keeps per connection (least recently used out first). */
const STATEMENTS_KEPT = 2000;

/**
 * What drizzle's session uses of a connection (`prepare`, `transaction`), with statements kept by
 * their text: the same few hundred queries run on every request and every write. A statement is
 * handed back with its default row mode (drizzle switches it to arrays with `raw()` for some
 * queries and expects objects from it for others). drizzle runs each statement to completion
 * before preparing the next (never `iterate`), so one statement is never in use twice at once.
 * `connection` is the connection itself, for code that needs it (src/lib/search/statements.ts).
 */
function statementCache(sqlite: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  return {
    connection: sqlite,
    prepare(text: string): Database.Statement {
      let stmt = statements.get(text);
      if (stmt) {
        statements.delete(text); // re-inserted below: most recently used last
        if (stmt.reader) stmt.raw(false);
      } else {
        stmt = sqlite.prepare(text);
        if (statements.size >= STATEMENTS_KEPT) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, stmt);
      return stmt;
    },
    transaction: sqlite.transaction.bind(sqlite),
  };
}

/** The better-sqlite3 connection behind a database or a transaction handle. */
export function connectionOf(db: DbOrTx): Database.Database {
  // drizzle's transaction handles share the session, and so the client, of their database
  return (db as { $client?: Database.Database }).$client ?? (db as unknown as { session: { client: { connection: Database.Database } } }).session.client.connection;
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

/**
 * A hand-written statement, prepared once per connection and kept: for the hottest statements,
 * where building the query with drizzle costs more than running it (the search index, the audit
 * log, notifications). Set the row mode (`pluck`, `raw`) on each use if the statement needs one.
 */
const handWritten = new WeakMap<Database.Database, Map<string, Database.Statement>>();
export function prepared(db: DbOrTx, text: string): Database.Statement {
  const client = connectionOf(db);
  let map = handWritten.get(client);
  if (!map) handWritten.set(client, (map = new Map()));
  let stmt = map.get(text);
  if (!stmt) map.set(text, (stmt = client.prepare(text)));
  return stmt;
}

const keptQueries = new WeakMap<Database.Database, Map<string, unknown>>();
/**
 * A drizzle query built and prepared once per connection and kept under `key`, its changing values
 * written as `sql.placeholder(name)` and given on each use (`.get({ name: value })`): for lookups
 * that every write runs, where building the query costs more than running it. Rows come back as
 * drizzle maps them. The key must name everything that changes the query's SQL.
 */
export function keptQuery<Q>(db: DbOrTx, key: string, build: (db: DbOrTx) => Q): Q {
  const client = connectionOf(db);
  let map = keptQueries.get(client);
  if (!map) keptQueries.set(client, (map = new Map()));
  let query = map.get(key) as Q | undefined;
  if (query === undefined) map.set(key, (query = build(db)));
  return query;
}

export { schema };
