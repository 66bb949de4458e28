/**
 * Text analysis shared by indexing, querying and highlighting.
 *
 * Chinese runs are segmented with jieba (search mode for the index, so both 电子商务 and 电子/商务
 * are indexed; precise mode for queries). Latin words are NFKC/NFKD-folded, lower-cased, stripped of
 * diacritics and stemmed (Porter); the index holds the stem and, when it differs, the folded surface
 * form too, so that prefixes and typo corrections can work on real words.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { stemmer } from 'stemmer';

let jieba: Jieba | undefined;
/** The dictionary takes ~150 ms to load: once per process, on first use. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const HAN = /\p{Script=Han}/u;
/** A run of Han characters, or a run of other letters/digits. */
const WORD = /(\p{Script=Han}+)|([\p{L}\p{N}]+)/gu;

export const isHan = (s: string) => HAN.test(s);

/** Case and diacritic folding for one Latin word (or any non-Han word). */
export function fold(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Porter stem of a folded word; words with digits or non-ASCII letters stay as they are. */
export function stem(folded: string): string {
  return /^[a-z]+$/.test(folded) && folded.length > 2 ? stemmer(folded) : folded;
}

const memo = new Map<string, [folded: string, stem: string]>();
/**
 * Folded form and stem of a word as written, memoized: texts repeat their words, and this is the
 * hot path of both indexing and highlighting. The memo is cleared when it grows large.
 */
export function foldAndStem(word: string): [folded: string, stem: string] {
  let hit = memo.get(word);
  if (!hit) {
    const f = fold(word);
    hit = [f, stem(f)];
    if (memo.size > 200_000) memo.clear();
    memo.set(word, hit);
  }
  return hit;
}

export interface Token {
  text: string;
  start: number;
  end: number;
  han: boolean;
}

/** Word runs of an NFKC-normalized text with their offsets (Han runs unsegmented). */
export function runs(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length, han: m[1] !== undefined });
  }
  return out;
}

const HYPHEN = /^[-\u2010\u2011\u2012\u2013]$/;

/**
 * Hyphenated compounds as one word ("e-commerce" → "ecommerce", "cross-border" → "crossborder"),
 * with the offsets of the whole compound, so that people who type them joined find them too.
 */
export function compounds(text: string, tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    // one hyphen (-, U+2010…U+2013) between two Latin words; no slice or regex: this runs for
    // every pair of words of every snippet
    if (a.han || b.han || b.start !== a.end + 1) continue;
    const c = text.charCodeAt(a.end);
    if (c !== 0x2d && (c < 0x2010 || c > 0x2013)) continue;
    out.push({ text: a.text + b.text, start: a.start, end: b.end, han: false });
  }
  return out;
}

/**
 * The text the FTS index stores for a field: its distinct terms, space-separated. The index keeps
 * which fields hold a term, not how often or where (detail=column, see fts5.ts), so each term is
 * written once, in no particular order: a 50 KB finding repeats its words thousands of times.
 * One pass over the text: each distinct Latin word (and hyphenated compound, see `compounds`) is
 * folded and stemmed once, and the distinct Han runs are segmented in one call to jieba, one run a
 * line (jieba segments each line on its own, so the terms are those of a call per run).
 */
export function analyzeForIndex(text: string | null | undefined): string {
  if (!text) return '';
  const normalized = text.normalize('NFKC');
  const terms = new Set<string>();
  const latin = new Set<string>();
  const han = new Set<string>();
  const addLatin = (word: string) => {
    if (latin.has(word)) return;
    latin.add(word);
    const [f, s] = foldAndStem(word);
    terms.add(s);
    terms.add(f);
  };
  let previous: string | null = null; // the Latin word just before, for compounds
  let previousEnd = -1;
  for (const m of normalized.matchAll(WORD)) {
    const word = m[0];
    if (m[1] !== undefined) {
      han.add(word);
      previous = null;
      continue;
    }
    addLatin(word);
    if (previous !== null && m.index === previousEnd + 1) {
      const c = normalized.charCodeAt(previousEnd);
      if (c === 0x2d || (c >= 0x2010 && c <= 0x2013)) addLatin(previous + word);
    }
    previous = word;
    previousEnd = m.index + word.length;
  }
  if (han.size) for (const t of segmenter().cutForSearch([...han].join('\n'), true)) if (isHan(t)) terms.add(t);
  return [...terms].join(' ');
}

/** What a document is indexed under, per FTS column of search_fts. */
export interface IndexedText {
  title: string;
  summary: string;
  body: string;
  /** The organization's name and the tags. */
  extra: string;
}

export function indexedText(doc: {
  title: string;
  titleZh?: string | null;
  summary?: string | null;
  body?: string | null;
  organizationName?: string | null;
  tags?: string[] | null;
}): IndexedText {
  return {
    title: analyzeForIndex([doc.title, doc.titleZh].filter(Boolean).join(' ')),
    summary: analyzeForIndex(doc.summary),
    body: analyzeForIndex(doc.body),
    extra: analyzeForIndex([doc.organizationName, ...(doc.tags ?? [])].filter(Boolean).join(' ')),
  };
}

/** One query word: a folded Latin word or a Han word from precise segmentation. */
export interface QueryWord {
  text: string;
  han: boolean;
}

/** Splits a query into words; Han runs are segmented in precise mode. */
export function queryWords(q: string): QueryWord[] {
  const out: QueryWord[] = [];
  const text = q.normalize('NFKC');
  const tokens = runs(text);
  for (let i = 0; i < tokens.length; i++) {
    const r = tokens[i]!;
    const next = tokens[i + 1];
    // "e-commerce" is one word, as the index also holds it ("ecommerce"): rarer, so faster and
    // more precise than "e" AND "commerce".
    if (!r.han && next && !next.han && HYPHEN.test(text.slice(r.end, next.start))) {
      out.push({ text: fold(r.text + next.text), han: false });
      i++;
      continue;
    }
    if (r.han) {
      for (const t of segmenter().cut(r.text, true)) if (isHan(t)) out.push({ text: t, han: true });
    } else {
      out.push({ text: fold(r.text), han: false });
    }
  }
  return out;
}

/** The search-mode parts of a Han word (电子商务 → 电子, 商务), without the word itself. */
export function hanParts(word: string): string[] {
  return segmenter()
    .cutForSearch(word, true)
    .filter((t) => t !== word && t.length > 1 && isHan(t));
}

/** Edit distance with adjacent transpositions counted as one edit, giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** Typo budget as Meilisearch has it: one edit from 5 characters, two from 9. */
export function typoBudget(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
}
