/**
 * What each process keeps in memory about the embedded index, reloaded when the index's
 * generation counter moves: the vocabulary (from the fts5vocab table, for prefixes, typos and
 * "did you mean"), every document's facet values, and the synonym groups.
 */
import type { Db, DbOrTx } from '@db/client';
import { isHan, queryWords, stem, type QueryWord } from './analyze';
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
  names: { kind: string[]; organizationType: string[]; language: string[]; year: string[] };
}

class Codes {
  readonly names: string[] = [''];
  private readonly map = new Map<string, number>();
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

export function bumpGeneration(tx: DbOrTx) {
  prepared(tx, `UPDATE search_meta SET value = value + 1 WHERE key = 'generation'`).run();
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

function loadVocabulary(db: Db): Pick<IndexCache, 'terms' | 'df' | 'latinByFirst' | 'vocabularyLoadedAt'> {
  const vocab = prepared(db, `SELECT term, doc FROM search_vocab`).raw().all() as [string, number][];
  const terms: string[] = [];
  const df = new Map<string, number>();
  const latinByFirst = new Map<string, string[]>();
  for (const [term, doc] of vocab) {
    terms.push(term);
    df.set(term, doc);
    if (/^[a-z]{3,}$/.test(term)) {
      const bucket = latinByFirst.get(term[0]!);
      if (bucket) bucket.push(term);
      else latinByFirst.set(term[0]!, [term]);
    }
  }
  return { terms, df, latinByFirst, vocabularyLoadedAt: Date.now() };
}

/** The cache for this connection, reloaded if another write happened since. */
export function indexCache(db: Db): IndexCache {
  const key = db.$client;
  const gen = generation(db);
  const cached = caches.get(key);
  if (cached && cached.generation === gen) return cached;

  const rows = prepared(db, `SELECT rowid, kind, organization_type, languages, year, octet_length(title) + coalesce(octet_length(title_zh), 0), octet_length(summary) FROM search_documents`).raw().all() as [number, string, string | null, string, number | null, number, number][];
  const size = rows.reduce((m, r) => Math.max(m, r[0]), 0) + 1;
  const kinds = new Codes();
  const orgTypes = new Codes();
  const langs = new Codes();
  const years = new Codes();
  const facets: FacetTable = {
    size,
    kind: new Uint8Array(size),
    organizationType: new Uint8Array(size),
    year: new Uint16Array(size),
    languages: new Uint32Array(size),
    titleBytes: new Float32Array(size),
    summaryBytes: new Float32Array(size),
    docs: rows.length,
    averageTitleBytes: 0,
    averageSummaryBytes: 0,
    names: { kind: kinds.names, organizationType: orgTypes.names, language: langs.names, year: years.names },
  };
  let titleBytes = 0;
  let summaryBytes = 0;
  for (const [rowid, kind, organizationType, languages, year, tb, sb] of rows) {
    facets.titleBytes[rowid] = tb;
    facets.summaryBytes[rowid] = sb;
    titleBytes += tb;
    summaryBytes += sb;
    facets.kind[rowid] = kinds.code(kind);
    facets.organizationType[rowid] = orgTypes.code(organizationType);
    facets.year[rowid] = years.code(year ? String(year) : null);
    let mask = 0;
    for (const l of languages ? languages.split(' ') : []) mask |= 1 << Math.min(31, langs.code(l));
    facets.languages[rowid] = mask;
  }
  facets.averageTitleBytes = Math.max(1, titleBytes / (rows.length || 1));
  facets.averageSummaryBytes = Math.max(1, summaryBytes / (rows.length || 1));
  // The vocabulary only steers prefixes, typos and "did you mean" (a new word missing there just
  // goes unexpanded for a while), and reading it is most of a reload (about 0.8 s at 100,000
  // documents): it is re-read at most every SEARCH_VOCAB_MAX_AGE_MS, or at once when the number
  // of documents moved by more than 5% (a bulk load). Facets and synonyms are re-read on every
  // change, so counts and filters are always exact.
  const maxAge = Number(process.env.SEARCH_VOCAB_MAX_AGE_MS ?? 10_000);
  const fresh = cached && Date.now() - cached.vocabularyLoadedAt < maxAge && Math.abs(rows.length - cached.vocabularyDocs) <= rows.length * 0.05;
  const vocabulary = fresh ? cached : { ...loadVocabulary(db), vocabularyDocs: rows.length };
  const cache: IndexCache = {
    generation: gen,
    terms: vocabulary.terms,
    df: vocabulary.df,
    latinByFirst: vocabulary.latinByFirst,
    vocabularyLoadedAt: vocabulary.vocabularyLoadedAt,
    vocabularyDocs: vocabulary.vocabularyDocs,
    facets,
    synonyms: loadSynonyms(db),
  };
  caches.set(key, cache);
  return cache;
}

/** Index terms starting with `prefix`, most frequent first. */
export function completions(cache: IndexCache, prefix: string, limit: number): string[] {
  const { terms } = cache;
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < terms.length && terms[i]!.startsWith(prefix); i++) found.push(terms[i]!);
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
