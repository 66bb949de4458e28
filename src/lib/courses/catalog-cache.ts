/**
 * A short-lived in-process cache for catalog pages (rows, totals, filter options). Any course write
 * in this process clears it at once; `PRAGMA data_version` catches commits by other processes or
 * connections; the TTL bounds staleness from writes elsewhere in this process (an organization
 * renamed, say) to a few seconds. See the benchmark in tests/bench/courses.results.md.
 */
import type { DbOrTx } from '@db/client';

const TTL_MS = 5_000;
const MAX_ENTRIES = 500;
let generation = 0;
const entries = new Map<string, { at: number; version: string; value: unknown }>();

/** Call after any write that changes what the catalog shows. */
export function catalogChanged() {
  generation++;
  entries.clear();
}

type Client = { prepare(sql: string): { pluck(): { get(): unknown } } };
const dataVersion = new WeakMap<object, { get(): unknown }>();

function version(db: DbOrTx): string {
  const client = (db as { $client?: Client }).$client;
  if (!client) return `${generation}:tx`;
  let stmt = dataVersion.get(client);
  if (!stmt) dataVersion.set(client, (stmt = client.prepare('PRAGMA data_version').pluck()));
  return `${generation}:${String(stmt.get())}`;
}

export function cachedCatalog<T>(db: DbOrTx, key: string, compute: () => T): T {
  const now = Date.now();
  const v = version(db);
  const hit = entries.get(key);
  if (hit && hit.version === v && now - hit.at < TTL_MS) return hit.value as T;
  const value = compute();
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { at: now, version: v, value });
  return value;
}
