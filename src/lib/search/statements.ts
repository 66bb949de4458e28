/** Prepared statements cached per connection: the search hot path prepares nothing twice. */
import type { Statement } from 'better-sqlite3';
import type { DbOrTx } from '@db/client';

const cache = new WeakMap<object, Map<string, Statement>>();

/** The raw better-sqlite3 connection behind a drizzle database or transaction. */
export function connection(db: DbOrTx) {
  // drizzle's transaction objects share the session of the database they came from
  const client = (db as { $client?: unknown }).$client ?? (db as unknown as { session: { client: unknown } }).session.client;
  return client as import('better-sqlite3').Database;
}

export function prepared(db: DbOrTx, text: string): Statement {
  const client = connection(db);
  let map = cache.get(client);
  if (!map) cache.set(client, (map = new Map()));
  let stmt = map.get(text);
  if (!stmt) map.set(text, (stmt = client.prepare(text)));
  return stmt;
}
