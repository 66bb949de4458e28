/**
 * Meilisearch backend, chosen when MEILISEARCH_URL is set. Writes never call Meilisearch inside
 * a transaction: `upsert`/`remove` keep the embedded index current (the fallback while Meilisearch
 * is unreachable) and add an outbox row in the same transaction; `drainOutbox` sends the rows in
 * order and retries with backoff, so an outage loses nothing and the site keeps answering.
 */
import { Meilisearch, type Index } from 'meilisearch';
import { getDb, type Db } from '@db/client';
import { fts5Index, searchFts } from './fts5';
import { escapeHtml } from './highlight';
import { dueRows, enqueue, markDone, markFailed, pendingCount, releaseDrainLease, takeDrainLease, type OutboxRow } from './outbox';
import { documentSources } from './sources';
import type { DocKind, SearchDocument, SearchIndex, SearchQuery, SearchResult } from './types';
import { facetLanguages, loadSynonyms } from './vocabulary';

export const INDEX_UID = process.env.MEILISEARCH_INDEX ?? 'portal';

interface MeiliDoc {
  uid: string;
  kind: DocKind;
  id: string;
  url: string;
  lang: string;
  title: string;
  titleZh: string | null;
  summary: string;
  body: string;
  organizationName: string | null;
  organizationType: string | null;
  languages: string[];
  year: number | null;
  tags: string[];
}

/** Meilisearch ids allow [A-Za-z0-9_-] only; policy slugs and other ids are hex-encoded. */
export const meiliUid = (kind: string, id: string) => `${kind}_${Buffer.from(id, 'utf8').toString('hex')}`;

function toMeili(doc: SearchDocument): MeiliDoc {
  return {
    uid: meiliUid(doc.kind, doc.id),
    kind: doc.kind,
    id: doc.id,
    url: doc.url,
    lang: doc.lang,
    title: doc.title,
    titleZh: doc.titleZh ?? null,
    summary: doc.summary ?? '',
    body: doc.body ?? '',
    organizationName: doc.organizationName ?? null,
    organizationType: doc.organizationType ?? null,
    languages: facetLanguages(doc.lang, doc.languages),
    year: doc.year ?? null,
    tags: doc.tags ?? [],
  };
}

let client: Meilisearch | undefined;
export function meiliClient(): Meilisearch {
  client ??= new Meilisearch({ host: process.env.MEILISEARCH_URL!, apiKey: process.env.MEILISEARCH_API_KEY, timeout: 5000 });
  return client;
}
const index = (): Index<MeiliDoc> => meiliClient().index<MeiliDoc>(INDEX_UID);

/** Searchable order is the attribute ranking: title above summary above body. */
export function meiliSettings(db: Db) {
  const synonyms: Record<string, string[]> = {};
  for (const g of loadSynonyms(db)) {
    for (const t of g.terms) synonyms[t.toLowerCase()] = g.terms.filter((o) => o !== t).map((o) => o.toLowerCase());
  }
  return {
    searchableAttributes: ['title', 'titleZh', 'summary', 'body', 'organizationName', 'tags'],
    filterableAttributes: ['kind', 'organizationType', 'languages', 'year'],
    sortableAttributes: ['year'],
    displayedAttributes: ['*'],
    synonyms,
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  };
}

let settingsApplied: Promise<void> | undefined;
/** Creates the index and applies settings once per process (at start, lazily). */
export function applySettings(db: Db): Promise<void> {
  settingsApplied ??= (async () => {
    await meiliClient().createIndex(INDEX_UID, { primaryKey: 'uid' }).waitTask().catch(() => undefined);
    await index().updateSettings(meiliSettings(db)).waitTask();
  })().catch((err) => {
    settingsApplied = undefined;
    throw err;
  });
  return settingsApplied;
}

async function send(db: Db, batch: OutboxRow[]) {
  const op = batch[0]!.op;
  if (op === 'settings') {
    await index().updateSettings(meiliSettings(db)).waitTask();
  } else if (op === 'upsert') {
    const task = await index().addDocuments(batch.map((r) => toMeili(JSON.parse(r.payload!))), { primaryKey: 'uid' }).waitTask();
    if (task.status !== 'succeeded') throw new Error(task.error?.message ?? `task ${task.status}`);
  } else {
    const task = await index().deleteDocuments(batch.map((r) => meiliUid(r.kind!, r.doc_id!))).waitTask();
    if (task.status !== 'succeeded') throw new Error(task.error?.message ?? `task ${task.status}`);
  }
}

/**
 * Sends due outbox rows in order, consecutive rows of the same operation in one request. Stops at
 * the first failure (later rows may depend on it) and schedules a retry.
 */
export async function drainOutbox(db: Db, limit = 500): Promise<{ sent: number; failed: number; busy?: true }> {
  // the loop runs every 2 s in every worker: an empty outbox costs one read, not two writes
  if (pendingCount(db) === 0) return { sent: 0, failed: 0 };
  // another process (a worker, the CLI) is draining: its rows must not be sent twice or reordered
  if (!takeDrainLease(db)) return { sent: 0, failed: 0, busy: true };
  try {
    return await drainDue(db, limit);
  } finally {
    releaseDrainLease(db);
  }
}

async function drainDue(db: Db, limit: number): Promise<{ sent: number; failed: number }> {
  const rows = dueRows(db, limit);
  let sent = 0;
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && rows[j]!.op === rows[i]!.op && rows[i]!.op !== 'settings') j++;
    const batch = rows.slice(i, j);
    try {
      await applySettings(db);
      await send(db, batch);
      markDone(db, batch.map((r) => r.id));
      sent += batch.length;
    } catch (err) {
      markFailed(db, rows.slice(i).map((r) => r.id), err instanceof Error ? err.message : String(err));
      return { sent, failed: rows.length - i };
    }
    i = j;
  }
  return { sent, failed: 0 };
}

let loop: NodeJS.Timeout | undefined;
let draining = false;
/**
 * The server's drain loop, started on first use (a write or a search); the timer never keeps a
 * process alive. SEARCH_OUTBOX_INTERVAL_MS=0 turns it off (then run the CLI drain instead).
 */
export function startDrainLoop(db: Db | (() => Db), everyMs = Number(process.env.SEARCH_OUTBOX_INTERVAL_MS ?? 2000)) {
  if (loop || !everyMs) return;
  loop = setInterval(async () => {
    if (draining) return;
    draining = true;
    try {
      await drainOutbox(typeof db === 'function' ? db() : db);
    } catch (err) {
      console.error('search outbox:', err);
    } finally {
      draining = false;
    }
  }, everyMs);
  loop.unref();
}

const filterValue = (v: string | number) => JSON.stringify(v);
function filters(q: SearchQuery, skip: string | null): string[] {
  const out: string[] = [];
  const add = (field: string, values: (string | number)[] | undefined) => {
    if (field !== skip && values?.length) out.push(`${field} IN [${values.map(filterValue).join(', ')}]`);
  };
  add('kind', q.kinds);
  add('organizationType', q.organizationTypes);
  add('languages', q.languages);
  add('year', q.years);
  return out;
}

const mark = (s: string | undefined | null) => (s ? escapeHtml(s).replace(/\u0001/g, '<mark>').replace(/\u0002/g, '</mark>') : '');

export async function searchMeili(db: Db, query: SearchQuery): Promise<SearchResult> {
  const started = performance.now();
  const perPage = Math.min(Math.max(1, query.perPage ?? 20), 50);
  const page = Math.min(Math.max(1, query.page ?? 1), 100);
  const q = (query.q ?? '').slice(0, 500);
  await applySettings(db);
  const facetFields = { type: 'kind', organizationType: 'organizationType', language: 'languages', year: 'year' } as const;
  const { results } = await meiliClient().multiSearch({
    queries: [
      {
        indexUid: INDEX_UID, q, page, hitsPerPage: perPage, filter: filters(query, null),
        attributesToHighlight: ['title', 'titleZh'], attributesToCrop: ['summary', 'body'], cropLength: 40,
        highlightPreTag: '\u0001', highlightPostTag: '\u0002', showRankingScore: true,
      },
      ...Object.values(facetFields).map((f) => ({ indexUid: INDEX_UID, q, limit: 0, filter: filters(query, f), facets: [f] })),
    ],
  });
  const main = results[0]!;
  const facets = { type: {}, organizationType: {}, language: {}, year: {} } as SearchResult['facets'];
  Object.keys(facetFields).forEach((name, i) => {
    const field = Object.values(facetFields)[i]!;
    facets[name as keyof typeof facets] = { ...(results[i + 1]!.facetDistribution?.[field] ?? {}) };
  });
  return {
    query: query.q,
    total: (main as { totalHits?: number }).totalHits ?? main.estimatedTotalHits ?? main.hits.length,
    hits: main.hits.map((h) => {
      const f = (h._formatted ?? {}) as Partial<Record<keyof MeiliDoc, string>>;
      const snippet = [f.summary, f.body].find((s) => s?.includes('\u0001')) ?? f.summary ?? f.body ?? '';
      return {
        type: h.kind as DocKind,
        id: String(h.id),
        title: String(h.title),
        titleZh: (h.titleZh as string | null) ?? null,
        snippet: mark(snippet),
        url: String(h.url),
        lang: String(h.lang),
        score: Number(h._rankingScore ?? 0),
        titleHtml: mark(f.title ?? String(h.title)),
        titleZhHtml: h.titleZh ? mark(f.titleZh ?? String(h.titleZh)) : null,
      };
    }),
    facets,
    tookMs: performance.now() - started,
  };
}

export const meiliIndex: SearchIndex = {
  upsert(tx, doc) {
    fts5Index.upsert(tx, doc);
    enqueue(tx, 'upsert', doc.kind, doc.id, doc);
    startDrainLoop(getDb);
  },
  remove(tx, kind, id) {
    fts5Index.remove(tx, kind, id);
    enqueue(tx, 'remove', kind, id);
    startDrainLoop(getDb);
  },
  async search(db, query) {
    startDrainLoop(db);
    try {
      return await searchMeili(db, query);
    } catch (err) {
      console.error('Meilisearch unreachable, answering from the embedded index:', err instanceof Error ? err.message : err);
      return searchFts(db, query);
    }
  },
  suggest(db, prefix, limit) {
    return fts5Index.suggest(db, prefix, limit);
  },
  async reindexAll(db, onProgress) {
    await fts5Index.reindexAll(db);
    await applySettings(db);
    const docs = documentSources.flatMap((s) => s.all(db)).map(toMeili);
    // What the outbox held is superseded by this full copy.
    db.$client.prepare(`DELETE FROM search_outbox WHERE op != 'settings'`).run();
    await index().deleteAllDocuments().waitTask();
    for (let i = 0; i < docs.length; i += 1000) {
      const task = await index().addDocuments(docs.slice(i, i + 1000), { primaryKey: 'uid' }).waitTask();
      if (task.status !== 'succeeded') throw new Error(task.error?.message ?? `task ${task.status}`);
      onProgress?.(Math.min(i + 1000, docs.length), docs.length);
    }
    if (!docs.length) onProgress?.(0, 0);
    return docs.length;
  },
};
