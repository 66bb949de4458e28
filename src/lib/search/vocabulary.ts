/**
 * What each process keeps in memory about the embedded index, reloaded when the index's
 * generation counter moves: the vocabulary (from the fts5vocab table, for prefixes, typos and
 * "did you mean"), every document's facet values, and the synonym groups.
 */
import type { Db, DbOrTx } from '@db/client';
import { indexedText, isHan, queryWords, stem, type IndexedText, type QueryWord } from './analyze';
import { carryPostings } from './postings';
import { prepared } from './statements';

/**
 * Every document's facet values in typed arrays indexed by rowid, so that counting facets over
 * tens of thousands of matches is a tight loop. Code 0 means "none"; `names` maps codes back.
 */
export interface FacetTable {
  size: number;
  kind: Uint8Array;
  organizationType: Uint8Array;
  /** A code per year, like the others: names.year holds the years as text. */
  year: Uint16Array;
  /** One bit per language code. */
  languages: Uint32Array;
  /**
   * UTF-8 bytes of the title (both languages) and of the summary, for BM25's length
   * normalization: about six bytes a word in English and in Chinese alike, unlike characters.
   */
  titleBytes: Float32Array;
  summaryBytes: Float32Array;
  /** Documents in the index, and their average title and summary bytes. */
  docs: number;
  averageTitleBytes: number;
  averageSummaryBytes: number;
  totalTitleBytes: number;
  totalSummaryBytes: number;
  codes: FacetCodes;
  /** Each facet's values by code (the codes' own lists). */
  names: { kind: string[]; organizationType: string[]; language: string[]; year: string[] };
}

export class Codes {
  constructor(
    readonly names: string[] = [''],
    private readonly map = new Map<string, number>(),
  ) {}
  copy(): Codes {
    return new Codes([...this.names], new Map(this.map));
  }

  code(value: string | null): number {
    if (!value) return 0;
    let c = this.map.get(value);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(value);
      this.map.set(value, c);
    }
    return c;
  }
}

export interface FacetCodes {
  kind: Codes;
  organizationType: Codes;
  language: Codes;
  year: Codes;
}

export interface SynonymGroup {
  id: number;
  terms: string[];
  /** Each term as query words, for matching inside queries. */
  phrases: QueryWord[][];
}

export interface IndexCache {
  generation: number;
  /** Every index term, sorted, with its document frequency. */
  terms: string[];
  df: Map<string, number>;
  /** Latin terms by first letter, for typo candidates. */
  latinByFirst: Map<string, string[]>;
  vocabularyLoadedAt: number;
  /** How many documents there were when the vocabulary was read. */
  vocabularyDocs: number;
  facets: FacetTable;
  synonyms: SynonymGroup[];
}

const caches = new WeakMap<object, IndexCache>();

export function generation(db: DbOrTx): number {
  const row = prepared(db, `SELECT value FROM search_meta WHERE key = 'generation'`).pluck().get() as number | undefined;
  return row ?? 0;
}

/** How many generations of changes are kept for processes to catch up with by patching. */
const CHANGES_KEPT = 4096;

/**
 * Starts a new index generation, noting which document it changed (by search_documents rowid),
 * or null when it may have changed any of them (a rebuild, a synonym edit): then every process
 * reloads its in-memory index instead of patching it.
 */
export function bumpGeneration(tx: DbOrTx, docRowid: number | null = null) {
  const gen = prepared(tx, `UPDATE search_meta SET value = value + 1 WHERE key = 'generation' RETURNING value`).pluck().get() as number;
  prepared(tx, `INSERT INTO search_changes (generation, doc_rowid) VALUES (?, ?)`).run(gen, docRowid);
  if (gen % 256 === 0) prepared(tx, `DELETE FROM search_changes WHERE generation <= ?`).run(gen - CHANGES_KEPT);
}

export function facetLanguages(lang: string, languages: string[] | undefined): string[] {
  if (languages?.length) return languages;
  return lang === 'mul' ? ['zh-cn', 'en'] : [lang];
}

export function loadSynonyms(db: DbOrTx): SynonymGroup[] {
  const rows = prepared(db, `SELECT id, terms FROM search_synonyms ORDER BY id`).all() as { id: number; terms: string }[];
  return rows.map((r) => {
    const terms = JSON.parse(r.terms) as string[];
    return { id: r.id, terms, phrases: terms.map(queryWords).filter((p) => p.length > 0) };
  });
}

/** Terms that typo corrections may offer: Latin words of three letters or more. */
const LATIN_TERM = /^[a-z]{3,}$/;

function loadVocabulary(db: Db): Pick<IndexCache, 'terms' | 'df' | 'latinByFirst' | 'vocabularyLoadedAt'> {
  const vocab = prepared(db, `SELECT term, doc FROM search_vocab`).raw().all() as [string, number][];
  const terms: string[] = [];
  const df = new Map<string, number>();
  const latinByFirst = new Map<string, string[]>();
  for (const [term, doc] of vocab) {
    terms.push(term);
    df.set(term, doc);
    if (LATIN_TERM.test(term)) {
      const bucket = latinByFirst.get(term[0]!);
      if (bucket) bucket.push(term);
      else latinByFirst.set(term[0]!, [term]);
    }
  }
  return { terms, df, latinByFirst, vocabularyLoadedAt: Date.now() };
}

/** The cache for this connection, brought up to date if the index changed since (in any process). */
export function indexCache(db: Db): IndexCache {
  const key = db.$client;
  const gen = generation(db);
  const cached = caches.get(key);
  if (cached && cached.generation === gen) return cached;
  // one read transaction: the generation, its changes and the documents as of one moment
  const cache = db.$client.transaction(() => (cached && patchedCache(db, cached)) || loadedCache(db, cached))();
  caches.set(key, cache);
  return cache;
}

/** The facet columns of search_documents, as applyRow reads them. */
const FACET_COLUMNS = `rowid, kind, organization_type, languages, year, octet_length(title) + coalesce(octet_length(title_zh), 0), octet_length(summary)`;
type FacetRow = [rowid: number, kind: string, organizationType: string | null, languages: string, year: number | null, titleBytes: number, summaryBytes: number];

function emptyFacets(size: number, codes: FacetCodes): FacetTable {
  return {
    size,
    kind: new Uint8Array(size),
    organizationType: new Uint8Array(size),
    year: new Uint16Array(size),
    languages: new Uint32Array(size),
    titleBytes: new Float32Array(size),
    summaryBytes: new Float32Array(size),
    docs: 0,
    averageTitleBytes: 1,
    averageSummaryBytes: 1,
    totalTitleBytes: 0,
    totalSummaryBytes: 0,
    codes,
    names: { kind: codes.kind.names, organizationType: codes.organizationType.names, language: codes.language.names, year: codes.year.names },
  };
}

function applyRow(t: FacetTable, [rowid, kind, organizationType, languages, year, tb, sb]: FacetRow) {
  t.titleBytes[rowid] = tb;
  t.summaryBytes[rowid] = sb;
  t.totalTitleBytes += tb;
  t.totalSummaryBytes += sb;
  t.docs++;
  t.kind[rowid] = t.codes.kind.code(kind);
  t.organizationType[rowid] = t.codes.organizationType.code(organizationType);
  t.year[rowid] = t.codes.year.code(year ? String(year) : null);
  let mask = 0;
  for (const l of languages ? languages.split(' ') : []) mask |= 1 << Math.min(31, t.codes.language.code(l));
  t.languages[rowid] = mask;
}

function clearRow(t: FacetTable, rowid: number) {
  if (rowid >= t.size || !t.kind[rowid]) return;
  t.totalTitleBytes -= t.titleBytes[rowid]!;
  t.totalSummaryBytes -= t.summaryBytes[rowid]!;
  t.docs--;
  t.kind[rowid] = 0;
  t.organizationType[rowid] = 0;
  t.year[rowid] = 0;
  t.languages[rowid] = 0;
  t.titleBytes[rowid] = 0;
  t.summaryBytes[rowid] = 0;
}

function settleAverages(t: FacetTable) {
  t.averageTitleBytes = Math.max(1, t.totalTitleBytes / (t.docs || 1));
  t.averageSummaryBytes = Math.max(1, t.totalSummaryBytes / (t.docs || 1));
}

/** Everything read afresh (the vocabulary kept when it is recent and the index about as large). */
function loadedCache(db: Db, cached: IndexCache | undefined): IndexCache {
  const gen = generation(db);
  const rows = prepared(db, `SELECT ${FACET_COLUMNS} FROM search_documents`).raw().all() as FacetRow[];
  const size = rows.reduce((m, r) => Math.max(m, r[0]), 0) + 1;
  const facets = emptyFacets(size, { kind: new Codes(), organizationType: new Codes(), language: new Codes(), year: new Codes() });
  for (const row of rows) applyRow(facets, row);
  settleAverages(facets);
  // The vocabulary only steers prefixes, typos and "did you mean" (a new word missing there just
  // goes unexpanded for a while), and reading it is most of a reload (about 0.8 s at 100,000
  // documents): it is re-read at most every SEARCH_VOCAB_MAX_AGE_MS, or at once when the number
  // of documents moved by more than 5% (a bulk load). Facets and synonyms are re-read on every
  // change, so counts and filters are always exact.
  const maxAge = Number(process.env.SEARCH_VOCAB_MAX_AGE_MS ?? 10_000);
  const fresh = cached && Date.now() - cached.vocabularyLoadedAt < maxAge && Math.abs(rows.length - cached.vocabularyDocs) <= rows.length * 0.05;
  const vocabulary = fresh ? cached : { ...loadVocabulary(db), vocabularyDocs: rows.length };
  return {
    generation: gen,
    terms: vocabulary.terms,
    df: vocabulary.df,
    latinByFirst: vocabulary.latinByFirst,
    vocabularyLoadedAt: vocabulary.vocabularyLoadedAt,
    vocabularyDocs: vocabulary.vocabularyDocs,
    facets,
    synonyms: loadSynonyms(db),
  };
}

/**
 * More changed documents than this since a process last looked (a bulk load): it reloads instead.
 * At 100,000 documents patching in 1,000 took 0.14 s (analysis, mostly), about what a reload of
 * the facet table costs; 2,000 took 0.37 s.
 */
const MAX_PATCHED_DOCS = 1000;

/**
 * The cache of an earlier generation brought forward by the documents changed since, as
 * search_changes lists them: a few milliseconds for a write or two, where reading everything
 * again takes 0.2 s at 100,000 documents (0.8 s with the vocabulary). Null when the log cannot
 * say (a rebuild or a synonym edit in between, or changes pruned or too many): then reload.
 *
 * The facet table is copied and patched; held term postings are carried over and patched
 * (postings.ts); words new to the index join the vocabulary, which is handed over from the
 * earlier cache and extended in place (words whose last document went stay until the next
 * reload: they only steer suggestions and typo fixes, and match nothing).
 */
function patchedCache(db: Db, old: IndexCache): IndexCache | null {
  const gen = generation(db);
  if (gen < old.generation) return null;
  const changes = prepared(db, `SELECT doc_rowid FROM search_changes WHERE generation > ? AND generation <= ?`).pluck().all(old.generation, gen) as (number | null)[];
  if (changes.length !== gen - old.generation || changes.includes(null)) return null;
  const changed = [...new Set(changes as number[])].sort((a, b) => a - b);
  if (changed.length > MAX_PATCHED_DOCS) return null;

  const rows = prepared(db, `SELECT ${FACET_COLUMNS}, title, title_zh, summary, body, organization_name, tags FROM search_documents WHERE rowid IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(changed)) as [...FacetRow, string, string | null, string, string, string | null, string | null][];
  const top = Math.max(changed[changed.length - 1] ?? 0, old.facets.size - 1);
  const facets = copyFacets(old.facets, top + 1 > old.facets.size ? Math.max(top + 1, Math.ceil(old.facets.size * 1.25)) : old.facets.size);
  for (const rowid of changed) clearRow(facets, rowid);
  const words = new Map<number, DocumentWords>();
  for (const row of rows) {
    applyRow(facets, row.slice(0, 7) as FacetRow);
    const [title, titleZh, summary, body, organizationName, tags] = row.slice(7) as [string, string | null, string, string, string | null, string | null];
    words.set(row[0], documentWords(indexedText({ title, titleZh, summary, body, organizationName, tags: tags ? tags.split(' ') : [] })));
  }
  settleAverages(facets);
  for (const w of words.values()) for (const term of w.all) if (!old.df.has(term)) addTerm(old, term);

  // (synonym edits start a generation with no document: a reload)
  const cache: IndexCache = { ...old, generation: gen, facets };
  carryPostings(old, cache, changed, words);
  return cache;
}

function copyFacets(t: FacetTable, size: number): FacetTable {
  const codes = { kind: t.codes.kind.copy(), organizationType: t.codes.organizationType.copy(), language: t.codes.language.copy(), year: t.codes.year.copy() };
  const out = emptyFacets(size, codes);
  out.kind.set(t.kind);
  out.organizationType.set(t.organizationType);
  out.year.set(t.year);
  out.languages.set(t.languages);
  out.titleBytes.set(t.titleBytes);
  out.summaryBytes.set(t.summaryBytes);
  out.docs = t.docs;
  out.totalTitleBytes = t.totalTitleBytes;
  out.totalSummaryBytes = t.totalSummaryBytes;
  return out;
}

/** The words of a document's analyzed text, per field a search reads postings of. */
export interface DocumentWords {
  title: Set<string>;
  summary: Set<string>;
  all: Set<string>;
}

/**
 * FTS5's unicode61 tokenizer splits analyzed text on its spaces and folds nothing further (the
 * analyzer already folded case and diacritics and keeps letters and digits only), so these are
 * exactly the terms FTS5 indexed the document under; tests check patched postings against FTS5.
 */
function documentWords(text: IndexedText): DocumentWords {
  const split = (s: string) => (s ? s.split(' ') : []);
  const title = new Set(split(text.title));
  const summary = new Set(split(text.summary));
  return { title, summary, all: new Set([...title, ...summary, ...split(text.body), ...split(text.extra)]) };
}

/** The first position in a sorted list whose entry is not below `key` (list.length if none). */
function lowerBound(list: string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds a word new to the index to the cache's vocabulary, keeping its lists sorted. */
function addTerm(cache: IndexCache, term: string) {
  const insertSorted = (list: string[]) => list.splice(lowerBound(list, term), 0, term);
  insertSorted(cache.terms);
  cache.df.set(term, 1);
  if (LATIN_TERM.test(term)) {
    const bucket = cache.latinByFirst.get(term[0]!);
    if (bucket) insertSorted(bucket);
    else cache.latinByFirst.set(term[0]!, [term]);
  }
}

/** Index terms starting with `prefix`, most frequent first. */
export function completions(cache: IndexCache, prefix: string, limit: number): string[] {
  const { terms } = cache;
  const found: string[] = [];
  for (let i = lowerBound(terms, prefix); i < terms.length && terms[i]!.startsWith(prefix); i++) found.push(terms[i]!);
  found.sort((a, b) => cache.df.get(b)! - cache.df.get(a)! || a.length - b.length);
  return found.slice(0, limit);
}

/**
 * The index holds stems next to real words ("cours" beside "course"); for showing a term to a
 * person, prefer a real word that has that stem.
 */
export function displayTerm(cache: IndexCache, term: string): string {
  if (isHan(term)) return term;
  const words = completions(cache, term, 50).filter((w) => w !== term && stem(w) === term);
  return words[0] ?? term;
}
