/**
 * Whole answers for anonymous readers (issue 17): the pages and public JSON reads everyone gets
 * alike, kept in this process and served again until anything in the database changes.
 *
 * Never stale after a write: an entry is valid only while the database is exactly as it was
 * when the answer was made. `PRAGMA data_version` changes when another connection (another
 * worker, a CLI, a test's second connection) commits; `total_changes()` changes when this
 * process's own connection writes. Both are read once per request, in microseconds. An answer
 * whose making itself wrote something (a page that records a visit) is not kept. Pages that
 * depend on the clock (an enrollment window closing, a comment period ending, an embargo ending)
 * are kept for at most TTL_MS.
 *
 * Only GET and HEAD without a session, without a bearer token and without cookies other than the
 * language one are served from here; only 200 answers without Set-Cookie or `no-store` are kept. PAGE_CACHE=0
 * turns it off (the pages benchmark measures both).
 */
import type { DbOrTx } from '@db/client';
import { LANG_COOKIE } from '~/i18n';
import { ifNoneMatchHits, notModifiedHeaders } from './conditional';

/** PAGE_CACHE_TTL_MS only for tests, which lengthen it to show that invalidation alone keeps pages fresh. */
const TTL_MS = Number(process.env.PAGE_CACHE_TTL_MS ?? 1_000);
const MAX_BYTES = 64_000_000;

interface Entry {
  generation: string;
  at: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  /** The headers as src/cli/serve.mjs writes them, with the length. */
  plain: Record<string, string>;
  /** Its ETag, if it has one: a request naming it in If-None-Match is answered 304 with `notModified`. */
  etag: string | null;
  notModified: Record<string, string>;
}

const entries = new Map<string, Entry>();
let total = 0;

type Client = { prepare(sql: string): { pluck(): { get(): unknown } } };
const statements = new WeakMap<object, { version: { get(): unknown }; changes: { get(): unknown } }>();

/** Changes whenever anything is written to the database, by any connection. */
export function databaseGeneration(db: DbOrTx): string {
  const client = (db as { $client?: Client }).$client;
  if (!client) return `tx:${Math.random()}`; // inside a transaction: never reuse
  let s = statements.get(client);
  if (!s) statements.set(client, (s = { version: client.prepare('PRAGMA data_version').pluck(), changes: client.prepare('SELECT total_changes()').pluck() }));
  return `${String(s.version.get())}:${String(s.changes.get())}`;
}

export const pageCacheEnabled = () => process.env.PAGE_CACHE !== '0';

/**
 * With PAGE_CACHE_REPORT=1 (tests and the pages benchmark) every answer says what the cache did
 * with it in `x-page-cache`: `hit`, `kept`, `shared` (waited for another request's answer), or
 * `not kept: <why>` (the middleware's reasons for not looking at all, or keepAnswer's for not
 * keeping), so a page that stays slow can be told from one that is merely expensive to make.
 */
const reporting = () => process.env.PAGE_CACHE_REPORT === '1';
export const PAGE_CACHE_HEADER = 'x-page-cache';

export function reportCache(response: Response, what: string): Response {
  if (!reporting()) return response;
  try {
    response.headers.set(PAGE_CACHE_HEADER, what);
    return response;
  } catch {
    // immutable headers (a fetched or redirect answer): copy them
    const copy = new Response(response.body, response);
    copy.headers.set(PAGE_CACHE_HEADER, what);
    return copy;
  }
}

/** The kept answer for `key` if still valid, and whether it is old enough to be renewed ahead of its end. */
/** No cookie at all, or only the language one: nothing on the page can be this reader's own. */
export function onlyLanguageCookie(header: string | null | undefined): boolean {
  return !header || header.split(';').every((c) => c.split('=')[0]!.trim() === LANG_COOKIE);
}

/**
 * The kept answer for `key` (a page's path and query) if it may be sent as it is, for src/cli/serve.mjs
 * to write without Astro's request pipeline (a WHATWG Request, route matching, the page module's
 * dynamic import, the middleware, a Response read back through a stream: most of a kept answer's
 * cost). The caller has made the middleware's checks for an anonymous GET (src/direct-routes.ts
 * keptPage). Null (not kept, no longer valid, or due for renewal) sends the request through Astro.
 */
export function keptForDirect(key: string, db: DbOrTx, ifNoneMatch?: string | string[]): { status: number; headers: Record<string, string>; body: Uint8Array | null } | null {
  if (!pageCacheEnabled() || !entries.has(key)) return null;
  const hit = entries.get(key)!;
  const age = Date.now() - hit.at;
  if (hit.generation !== databaseGeneration(db) || age > TTL_MS || (age > TTL_MS / 2 && !renewing.has(key))) return null;
  // a reader that holds this very answer gets headers only (a 304 carries no body, RFC 9110 §15.4.5)
  const unchanged = hit.etag !== null && ifNoneMatchHits(Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch, hit.etag);
  const headers = unchanged ? hit.notModified : hit.plain;
  return { status: unchanged ? 304 : hit.status, headers: reporting() ? { ...headers, [PAGE_CACHE_HEADER]: 'hit' } : headers, body: unchanged ? null : hit.body };
}

function cachedAnswer(key: string, generation: string): { response: Response; renew: boolean } | null {
  const hit = entries.get(key);
  if (!hit) return null;
  const age = Date.now() - hit.at;
  if (hit.generation !== generation || age > TTL_MS) {
    drop(key, hit);
    return null;
  }
  return { response: servedFrom(hit), renew: age > TTL_MS / 2 };
}

/** Keeps `response` if it may be shared; returns a response to send either way (its body is read once), and the entry kept. */
async function keepAnswer(key: string, generationBefore: string, startedAt: number, generationAfter: () => string, response: Response): Promise<{ response: Response; kept: Entry | null; why: string }> {
  if (response.status !== 200) return { response, kept: null, why: `status ${response.status}` };
  if (response.headers.has('set-cookie')) return { response, kept: null, why: 'sets a cookie' };
  if (/no-store/i.test(response.headers.get('cache-control') ?? '')) return { response, kept: null, why: 'no-store' };
  if (!response.body) return { response, kept: null, why: 'no body' };
  // bytes, not text: decoding would drop a byte-order mark (the comment table's CSV starts with one)
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = [...response.headers];
  const fresh = new Response(body, { status: response.status, headers });
  if (generationAfter() !== generationBefore) return { response: fresh, kept: null, why: 'wrote to the database' };
  if (body.byteLength > MAX_BYTES / 8) return { response: fresh, kept: null, why: 'too large' };
  const old = entries.get(key);
  if (old) drop(key, old);
  // aged from when it began to be made: what it shows of the clock is from then
  const plain = Object.fromEntries([...headers, ['content-length', String(body.byteLength)]]);
  const etag = response.headers.get('etag');
  const kept: Entry = { generation: generationBefore, at: startedAt, status: response.status, headers, body, plain, etag, notModified: Object.fromEntries(notModifiedHeaders(headers)) };
  entries.set(key, kept);
  total += key.length + body.byteLength;
  for (const [k, e] of entries) {
    if (total <= MAX_BYTES) break;
    drop(k, e);
  }
  return { response: fresh, kept, why: 'kept' };
}

/** Answers being made, by state of the database and key: requests that arrive meanwhile wait for them. */
const making = new Map<string, Promise<Entry | null>>();
/** Keys whose kept answer one request is renewing ahead of its end, while the others are still served it. */
const renewing = new Set<string>();

/**
 * The kept answer for `key` in this state of the database, or one made by `make` and kept. Requests
 * for the same key in the same state that arrive while it is being made wait for that one answer
 * rather than each making their own; an answer that may not be kept (a 404, a page that wrote) is
 * then made again for each of them, as without the cache.
 *
 * A kept answer past half its lifetime is renewed by the one request that finds it so, while the
 * others are still served the kept one: under steady load a page's lifetime then never runs out,
 * and readers no longer all wait for the page being made again every second (when an entry expired
 * under load, sixteen connections stalled behind one rendering of a heavy page, twice a second for
 * two addresses). Nothing kept is ever older than TTL_MS, and a write still ends every entry at once.
 */
export async function sharedAnswer(key: string, generation: string, generationAfter: () => string, make: () => Promise<Response>): Promise<Response> {
  const hit = cachedAnswer(key, generation);
  if (hit && !(hit.renew && !renewing.has(key))) return reportCache(hit.response, 'hit');
  if (hit) {
    renewing.add(key);
    try {
      const { response, kept, why } = await keepAnswer(key, generation, Date.now(), generationAfter, await make());
      return reportCache(response, kept ? 'renewed' : `not kept: ${why}`);
    } finally {
      renewing.delete(key);
    }
  }
  const flight = `${generation}|${key}`;
  const pending = making.get(flight);
  if (pending) {
    const made = await pending;
    return made ? reportCache(servedFrom(made), 'shared') : reportCache(await make(), 'not kept: made again');
  }
  let settle!: (entry: Entry | null) => void;
  making.set(flight, new Promise((resolve) => (settle = resolve)));
  try {
    const { response, kept, why } = await keepAnswer(key, generation, Date.now(), generationAfter, await make());
    settle(kept);
    return reportCache(response, kept ? 'kept' : `not kept: ${why}`);
  } catch (err) {
    settle(null);
    throw err;
  } finally {
    making.delete(flight);
  }
}

/**
 * A response over a kept body, without copying it: `new Response(bytes)` copies the whole body
 * (undici's extractBody) for every reader, which with pages of 50–120 KB was a tenth of a cached
 * answer's time and much of its garbage. Nothing downstream writes into the chunk.
 */
function servedFrom(entry: Entry): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(entry.body);
      controller.close();
    },
  });
  return new Response(body, { status: entry.status, headers: entry.headers });
}

function drop(key: string, entry: Entry) {
  entries.delete(key);
  total -= key.length + entry.body.byteLength;
}
