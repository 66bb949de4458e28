/** Prepared statements cached per connection: the search hot path prepares nothing twice. */
import type { Statement } from 'better-sqlite3';
import { connectionOf, type DbOrTx } from '@db/client';

const cache = new WeakMap<object, Map<string, Statement>>();

/** The raw better-sqlite3 connection behind a drizzle database or transaction. */
export const connection = connectionOf;

export function prepared(db: DbOrTx, text: string): Statement {
  const client = connection(db);
  let map = cache.get(client);
  if (!map) cache.set(client, (map = new Map()));
  let stmt = map.get(text);
  if (!stmt) map.set(text, (stmt = client.prepare(text)));
  return stmt;
}
