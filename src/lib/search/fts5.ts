/**
 * Embedded backend: SQLite FTS5 in the portal's own database, written in the caller's transaction.
 * `search_documents` keeps the text (titles as written; summaries and bodies in the form snippets
 * show, see snippetText) for snippets, facets and rebuilds; the contentless
 * `search_fts` index holds the analyzed text (see analyze.ts) of every field, recording which
 * fields hold a term but not where (detail=column). Searches read it as term postings
 * (postings.ts), from which rank.ts matches, ranks and counts.
 */
import type { Db, DbOrTx } from '@db/client';
import { write } from '@db/client';
import { editDistance, indexedText } from './analyze';
import { highlightAll, markedSnippet, plainSnippet, snippetText } from './highlight';
import { planQuery, type QueryPlan } from './plan';
import { rank } from './rank';
import { prepared } from './statements';
import { type DocKind, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult } from './types';
import { bumpGeneration, completions, displayTerm, facetLanguages, indexCache, type FacetTable, type IndexCache } from './vocabulary';
import { documentSources } from './sources';

/**
 * Bump when analyzeForIndex or the form of the stored text changes: the index is then rebuilt
 * from search_documents. (5: summaries and bodies stored in snippetText form.)
 */
export const ANALYZER_VERSION = 5;
export const MAX_PER_PAGE = 50;
/** Snippets are cut from the summary or from this many first characters of the body. */
const SNIPPET_BODY_CHARS = 4000;
export const MAX_PAGE = 100;

type Facets = SearchResult['facets'];
const emptyFacets = (): Facets => ({ type: {}, organizationType: {}, language: {}, year: {} });

/** Writes a document's analyzed text to the index. */
function indexRow(tx: DbOrTx, rowid: number, doc: SearchDocument) {
  const text = indexedText(doc);
  prepared(tx, `INSERT INTO search_fts (rowid, title, summary, body, extra) VALUES (?, ?, ?, ?, ?)`).run(rowid, text.title, text.summary, text.body, text.extra);
}

function unindexRow(tx: DbOrTx, rowid: number) {
  prepared(tx, `DELETE FROM search_fts WHERE rowid = ?`).run(rowid);
}

/**
 * Merges the index's segments into one (FTS5 'optimize'), after a bulk (re)build: queries then
 * read one doclist per term instead of one per segment. Incremental writes rely on automerge.
 */
export function optimizeIndexes(db: DbOrTx) {
  prepared(db, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`).run();
}

function clearIndexes(tx: DbOrTx) {
  prepared(tx, `INSERT INTO search_fts (search_fts) VALUES ('delete-all')`).run();
}

/** Re-analyzes every stored document into a fresh index (after an analyzer change). */
function rebuildFromDocuments(tx: DbOrTx) {
  clearIndexes(tx);
  const rows = prepared(tx, `SELECT rowid, title, title_zh AS titleZh, summary, body, organization_name AS organizationName, tags FROM search_documents`).all() as (SearchDocument & { rowid: number; tags: string; summary: string; body: string })[];
  for (const r of rows) {
    const [summary, body] = [snippetText(r.summary), snippetText(r.body)];
    if (summary !== r.summary || body !== r.body) prepared(tx, `UPDATE search_documents SET summary = ?, body = ? WHERE rowid = ?`).run(summary, body, r.rowid);
    indexRow(tx, r.rowid, { ...r, summary, body, tags: r.tags ? r.tags.split(' ') : [] });
  }
  prepared(tx, `UPDATE search_meta SET value = ? WHERE key = 'analyzer'`).run(ANALYZER_VERSION);
  optimizeIndexes(tx);
  bumpGeneration(tx);
}

const ready = new WeakSet<object>();
/** Once per connection: rebuild the index if it was built by an older analyzer (or a migration). */
export function ensureCurrentIndex(db: Db) {
  if (ready.has(db.$client)) return;
  const version = prepared(db, `SELECT value FROM search_meta WHERE key = 'analyzer'`).pluck().get() as number;
  if (version !== ANALYZER_VERSION) write(db, (tx) => rebuildFromDocuments(tx));
  ready.add(db.$client);
}

/** The query's filters as one flag per facet code (null: that facet is not filtered) and a language bit mask. */
function filterOf(t: FacetTable, q: SearchQuery) {
  const allowed = (names: string[], values?: (string | number)[]) => {
    if (!values?.length) return null;
    const flags = new Uint8Array(names.length);
    for (const v of values) {
      const c = names.indexOf(String(v));
      if (c > 0) flags[c] = 1;
    }
    return flags;
  };
  let lang: number | null = null;
  if (q.languages?.length) {
    lang = 0;
    for (const l of q.languages) {
      const c = t.names.language.indexOf(l);
      if (c > 0) lang |= 1 << Math.min(31, c);
    }
  }
  return {
    kind: allowed(t.names.kind, q.kinds),
    org: allowed(t.names.organizationType, q.organizationTypes),
    lang,
    year: allowed(t.names.year, q.years),
  };
}

/** Whether a document passes the query's filters (all facets). */
function filterPredicate(t: FacetTable, q: SearchQuery): (rowid: number) => boolean {
  const f = filterOf(t, q);
  return (r) => {
    if (r >= t.size) return false;
    const k = t.kind[r]!;
    if (!k) return false;
    if (f.kind && !f.kind[k]) return false;
    if (f.org && !f.org[t.organizationType[r]!]) return false;
    if (f.lang !== null && (t.languages[r]! & f.lang) === 0) return false;
    return !f.year || f.year[t.year[r]!] === 1;
  };
}

/**
 * Filters the matches and counts facets the disjunctive way: a facet's counts apply every filter
 * but its own, so its other values stay visible and selecting several widens (OR) while filters
 * on different facets narrow (AND).
 */
function filterAndCount(t: FacetTable, rowids: Int32Array, q: SearchQuery) {
  const f = filterOf(t, q);
  const kindCounts = new Uint32Array(t.names.kind.length);
  const orgCounts = new Uint32Array(t.names.organizationType.length);
  const langCounts = new Uint32Array(Math.min(32, t.names.language.length));
  const yearCounts = new Uint32Array(t.names.year.length);
  let kept = 0;
  for (let i = 0; i < rowids.length; i++) {
    const r = rowids[i]!;
    if (r >= t.size) continue;
    const k = t.kind[r]!;
    if (!k) continue;
    const o = t.organizationType[r]!;
    const langs = t.languages[r]!;
    const y = t.year[r]!;
    const okK = !f.kind || f.kind[k] === 1;
    const okO = !f.org || f.org[o] === 1;
    const okL = f.lang === null || (langs & f.lang) !== 0;
    const okY = !f.year || f.year[y] === 1;
    if (okO && okL && okY) kindCounts[k]!++;
    if (okK && okL && okY) orgCounts[o]!++;
    if (okK && okO && okY && langs) for (let b = 1; b < langCounts.length; b++) if (langs & (1 << b)) langCounts[b]!++;
    if (okK && okO && okL) yearCounts[y]!++;
    if (okK && okO && okL && okY) kept++;
  }
  const named = (counts: Uint32Array, names: string[]) => {
    const out: Record<string, number> = {};
    counts.forEach((n, c) => {
      if (n && c) out[names[c]!] = n;
    });
    return out;
  };
  const facets: Facets = {
    type: named(kindCounts, t.names.kind),
    organizationType: named(orgCounts, t.names.organizationType),
    language: named(langCounts, t.names.language),
    // integer-like keys: a JSON object lists them in ascending order whatever order they are set in
    year: named(yearCounts, t.names.year),
  };
  return { kept, facets };
}

/** "Did you mean": the nearest index terms to the words the index does not know. */
function nearestTerms(cache: IndexCache, words: { text: string; han: boolean }[]): string[] {
  const out = new Set<string>();
  for (const w of words) {
    if (w.han) {
      for (const t of completions(cache, w.text[0]!, 3)) out.add(t);
      continue;
    }
    const budget = w.text.length >= 6 ? 3 : w.text.length >= 3 ? 2 : 1;
    const near: [string, number][] = [];
    for (const t of cache.latinByFirst.get(w.text[0]!) ?? []) {
      const d = editDistance(w.text, t, budget);
      if (d <= budget) near.push([t, d]);
    }
    near.sort((a, b) => a[1] - b[1] || cache.df.get(b[0])! - cache.df.get(a[0])!);
    for (const [t] of near.slice(0, 3)) out.add(displayTerm(cache, t));
  }
  return [...out].slice(0, 6);
}

/** Stores and indexes a document (new or changed) and returns its rowid; the caller starts the new generation. */
function writeDocument(tx: DbOrTx, doc: SearchDocument): number {
  const columns = [doc.url, doc.lang, doc.title, doc.titleZh ?? null, snippetText(doc.summary ?? ''), snippetText(doc.body ?? ''), doc.organizationName ?? null, doc.organizationType ?? null, facetLanguages(doc.lang, doc.languages).join(' '), doc.year ?? null, (doc.tags ?? []).join(' ')];
  const existing = prepared(tx, `SELECT rowid FROM search_documents WHERE kind = ? AND doc_id = ?`).pluck().get(doc.kind, doc.id) as number | undefined;
  let rowid: number;
  if (existing !== undefined) {
    prepared(tx, `UPDATE search_documents SET url = ?, lang = ?, title = ?, title_zh = ?, summary = ?, body = ?, organization_name = ?, organization_type = ?, languages = ?, year = ?, tags = ? WHERE rowid = ?`).run(...columns, existing);
    unindexRow(tx, existing);
    rowid = existing;
  } else {
    rowid = Number(
      prepared(tx, `INSERT INTO search_documents (kind, doc_id, url, lang, title, title_zh, summary, body, organization_name, organization_type, languages, year, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(doc.kind, doc.id, ...columns).lastInsertRowid,
    );
  }
  indexRow(tx, rowid, doc);
  return rowid;
}

export const fts5Index: SearchIndex = {
  upsert(tx, doc) {
    bumpGeneration(tx, writeDocument(tx, doc));
  },

  remove(tx, kind, id) {
    const rowid = prepared(tx, `SELECT rowid FROM search_documents WHERE kind = ? AND doc_id = ?`).pluck().get(kind, id) as number | undefined;
    if (rowid === undefined) return;
    unindexRow(tx, rowid);
    prepared(tx, `DELETE FROM search_documents WHERE rowid = ?`).run(rowid);
    bumpGeneration(tx, rowid);
  },

  async search(db, query) {
    return searchFts(db, query);
  },

  async suggest(db, prefix, limit = 8) {
    ensureCurrentIndex(db);
    const cache = indexCache(db);
    const text = prefix.normalize('NFKC').slice(0, 200);
    const plan = planQuery(cache, text);
    if (!plan) return [];
    const last = plan.words[plan.words.length - 1]!;
    const at = text.toLowerCase().lastIndexOf(last.han ? last.text : last.text.slice(0, 1));
    const head = at > 0 ? text.slice(0, at) : '';
    const seen = new Set<string>();
    for (const t of completions(cache, last.text, limit * 3)) {
      const word = displayTerm(cache, t);
      if (word.length >= last.text.length) seen.add(head + word);
      if (seen.size >= limit) break;
    }
    return [...seen];
  },

  async reindexAll(db, onProgress) {
    const docs = documentSources.flatMap((s) => s.all(db));
    write(db, (tx) => {
      clearIndexes(tx);
      prepared(tx, `DELETE FROM search_documents`).run();
      docs.forEach((doc, i) => {
        writeDocument(tx, doc);
        onProgress?.(i + 1, docs.length);
      });
      prepared(tx, `UPDATE search_meta SET value = ? WHERE key = 'analyzer'`).run(ANALYZER_VERSION);
      optimizeIndexes(tx);
      bumpGeneration(tx);
    });
    return docs.length;
  },
};

/** Parsed queries per index cache (so per index generation): jieba, stemming, prefix and typo lookups once per text. */
const plans = new WeakMap<IndexCache, Map<string, QueryPlan | null>>();
function cachedPlan(cache: IndexCache, q: string): QueryPlan | null {
  let map = plans.get(cache);
  if (!map) plans.set(cache, (map = new Map()));
  if (map.has(q)) return map.get(q)!;
  const plan = planQuery(cache, q);
  if (map.size >= 1000) map.delete(map.keys().next().value!);
  map.set(q, plan);
  return plan;
}

/** "Did you mean" terms per parsed query (the plan cache lives as long as the vocabulary does). */
const suggestionMemo = new WeakMap<QueryPlan, string[]>();
function cachedSuggestions(cache: IndexCache, plan: QueryPlan): string[] {
  let out = suggestionMemo.get(plan);
  if (!out) suggestionMemo.set(plan, (out = nearestTerms(cache, plan.unknown.length ? plan.unknown : plan.words)));
  return [...out];
}

/**
 * Finished results of recent searches, per index cache: a write anywhere bumps the generation,
 * which gives a new cache and so an empty result cache — a cached answer is never stale.
 * SEARCH_RESULT_CACHE sets how many are kept (default 500; 0 turns the cache off).
 */
const results = new WeakMap<IndexCache, Map<string, SearchResult>>();
function resultCacheSize() {
  const n = Number(process.env.SEARCH_RESULT_CACHE ?? 500);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
function resultKey(q: SearchQuery, page: number, perPage: number) {
  const list = (v?: (string | number)[]) => (v?.length ? [...new Set(v.map(String))].sort().join(',') : '');
  return [q.q ?? '', list(q.kinds), list(q.organizationTypes), list(q.languages), list(q.years), page, perPage].join('\u0000');
}

export function searchFts(db: Db, query: SearchQuery): SearchResult {
  const started = performance.now();
  ensureCurrentIndex(db);
  const cache = indexCache(db);
  const perPage = Math.min(Math.max(1, query.perPage ?? 20), MAX_PER_PAGE);
  const page = Math.min(Math.max(1, query.page ?? 1), MAX_PAGE);
  const size = resultCacheSize();
  const key = size ? resultKey(query, page, perPage) : '';
  let lru = size ? results.get(cache) : undefined;
  if (size && !lru) results.set(cache, (lru = new Map()));
  const hit = lru?.get(key);
  if (hit) {
    lru!.delete(key); // most recently used last
    lru!.set(key, hit);
    return { ...hit, query: query.q, tookMs: performance.now() - started };
  }
  const result = computeSearch(db, cache, query, page, perPage);
  if (lru) {
    if (lru.size >= size) lru.delete(lru.keys().next().value!);
    lru.set(key, result);
  }
  return { ...result, tookMs: performance.now() - started };
}

function computeSearch(db: Db, cache: IndexCache, query: SearchQuery, page: number, perPage: number): SearchResult {
  const plan = cachedPlan(cache, query.q ?? '');
  const result: SearchResult = { query: query.q, total: 0, hits: [], facets: emptyFacets(), tookMs: 0 };
  if (!plan) return result;

  // Ranking and the match list for counting, both from the term postings (rank.ts); filters are
  // checked on the cached facet values.
  const facetTable = cache.facets;
  const passes = filterPredicate(facetTable, query);
  const trees = plan.exactTree ? [plan.exactTree, plan.matchTree] : [plan.matchTree];
  const { top, matched } = rank(db, cache, trees, passes, page * perPage);
  const { kept, facets } = filterAndCount(facetTable, matched, query);
  result.facets = facets;
  result.total = kept;
  const pageRows = top.slice((page - 1) * perPage, page * perPage);
  if (pageRows.length) {
    const docs = prepared(db, `SELECT rowid, kind, doc_id, url, lang, title, title_zh, summary FROM search_documents WHERE rowid IN (SELECT value FROM json_each(?))`).all(JSON.stringify(pageRows.map((r) => r.rowid))) as {
      rowid: number; kind: DocKind; doc_id: string; url: string; lang: string; title: string; title_zh: string | null; summary: string;
    }[];
    const byId = new Map(docs.map((d) => [d.rowid, d]));
    // the snippet comes from the summary when it holds a match; bodies are read only for the
    // hits whose summary does not, and only as far as a snippet may come from (a finding can be 50 KB)
    const fromSummary = new Map(docs.map((d) => [d.rowid, markedSnippet(d.summary, plan.terms)]));
    const needBody = docs.filter((d) => fromSummary.get(d.rowid) === null).map((d) => d.rowid);
    const bodies = new Map(
      needBody.length
        ? (prepared(db, `SELECT rowid, substr(body, 1, ${SNIPPET_BODY_CHARS + 1}) FROM search_documents WHERE rowid IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(needBody)) as [number, string][])
        : [],
    );
    for (const { rowid, tier, score } of pageRows) {
      const d = byId.get(rowid);
      if (!d) continue;
      const body = bodies.get(rowid) ?? '';
      const snippetBody = body.length > SNIPPET_BODY_CHARS ? body.slice(0, SNIPPET_BODY_CHARS) + '…' : body;
      result.hits.push({
        type: d.kind,
        id: d.doc_id,
        title: d.title,
        titleZh: d.title_zh,
        snippet: fromSummary.get(rowid) ?? (snippetBody ? markedSnippet(snippetBody, plan.terms) : null) ?? plainSnippet(d.summary || snippetBody),
        url: d.url,
        lang: d.lang,
        score: score - tier * 1e6,
        titleHtml: highlightAll(d.title, plan.terms),
        titleZhHtml: d.title_zh ? highlightAll(d.title_zh, plan.terms) : null,
      });
    }
  }
  if (result.total === 0) result.suggestions = cachedSuggestions(cache, plan);
  return result;
}
