/**
 * Term postings in memory: the sorted rowids of the documents holding an index term (anywhere,
 * in the title, or in the summary), read from search_fts once and kept while the index changes:
 * a write to the index (from any process) starts a new generation, to which each process carries
 * its lists over, patched for the few documents the write changed.
 *
 * Matching, counting and ranking (rank.ts) then merge typed arrays instead of stepping through
 * the doclists of a query's common words row by row on every search, through FTS5 (跨境 alone:
 * 21,000 rows, 6 ms at 100,000 documents, and as much again for bm25() to work out its IDF).
 *
 * SEARCH_POSTINGS_CACHE bounds the rowids held per process (default 4,000,000, 16 MB). Lists
 * that do not fit are read for the one search and let go; 0 keeps none.
 */
import type { Db } from '@db/client';
import type { MatchNode } from './match-tree';
import { prepared } from './statements';
import type { DocumentWords, IndexCache } from './vocabulary';

/** Where a term occurs: anywhere in the document, in its title, its summary, or either of those. */
export type Field = 'all' | 'title' | 'summary' | 'head';


export function postingsBudget(): number {
  const n = Number(process.env.SEARCH_POSTINGS_CACHE ?? 4_000_000);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Least recently used lists leave first. */
export class Postings {
  private readonly lists = new Map<string, Int32Array>();
  private held = 0;
  /** Read from SEARCH_POSTINGS_CACHE once per search (postingsOf): the environment is slow to read. */
  budget = 0;
  constructor(private readonly db: Db) {}

  get(term: string, field: Field = 'all'): Int32Array {
    const budget = this.budget;
    const key = field + '\u0000' + term;
    let list = budget ? this.lists.get(key) : undefined;
    if (list) {
      this.lists.delete(key);
      this.lists.set(key, list);
      return list;
    }
    if (field === 'head') {
      // derived rather than read: one scan of the doclist fewer for a word not seen since the last write
      list = union(this.get(term, 'title'), this.get(term, 'summary'));
    } else {
      const quoted = `"${term.replace(/"/g, '""')}"`;
      const match = field === 'all' ? quoted : `${field} : ${quoted}`;
      list = Int32Array.from(prepared(this.db, `SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid`).pluck().all(match) as number[]);
    }
    if (list.length > budget / 4) return list;
    for (const [old, l] of this.lists) {
      if (this.held + list.length <= budget) break;
      this.lists.delete(old);
      this.held -= l.length;
    }
    this.lists.set(key, list);
    this.held += list.length;
    return list;
  }

  /** The same rowids for matching: as a bitmap when the list is dense, built once per list held. */
  rows(term: string, field: Field = 'all'): RowSet {
    const list = this.get(term, field);
    if (!dense(list)) return list;
    let bits = this.bitmaps.get(list);
    if (!bits) this.bitmaps.set(list, (bits = Bitmap.of(list)));
    return bits;
  }
  /** Dense lists' bitmaps, let go with the list (never larger than it, so at most doubling what is held). */
  private bitmaps = new WeakMap<Int32Array, Bitmap>();

  /**
   * These postings for the next generation: every list held, less the changed documents, plus
   * those of them that now hold its term (`words`: the changed documents still in the index).
   * Lists no change touches are carried over as they are, with their bitmaps.
   */
  patched(changed: number[], words: Map<number, DocumentWords>): Postings {
    const next = new Postings(this.db);
    next.bitmaps = this.bitmaps;
    const gone = new Set(changed);
    const holds = (rowid: number, field: Field, term: string) => {
      const w = words.get(rowid);
      if (!w) return false;
      if (field === 'head') return w.title.has(term) || w.summary.has(term);
      return w[field].has(term);
    };
    for (const [key, list] of this.lists) {
      const at = key.indexOf('\u0000');
      const field = key.slice(0, at) as Field;
      const term = key.slice(at + 1);
      let updated = list;
      if (changed.some((r) => (list[seek(list, 0, r)] === r) !== holds(r, field, term))) {
        const kept = list.filter((r) => !gone.has(r));
        updated = union(kept, Int32Array.from(changed.filter((r) => holds(r, field, term))));
      }
      next.lists.set(key, updated);
      next.held += updated.length;
    }
    return next;
  }
}

const perGeneration = new WeakMap<IndexCache, Postings>();

/** Carries the postings of one generation's cache over to the next one's, patched (see Postings.patched). */
export function carryPostings(from: IndexCache, to: IndexCache, changed: number[], words: Map<number, DocumentWords>) {
  const postings = perGeneration.get(from);
  if (postings) perGeneration.set(to, postings.patched(changed, words));
}

/** The postings of this index generation. */
export function postingsOf(db: Db, cache: IndexCache): Postings {
  let postings = perGeneration.get(cache);
  if (!postings) perGeneration.set(cache, (postings = new Postings(db)));
  postings.budget = postingsBudget();
  return postings;
}

/** Rowids in both sorted lists (galloping through the longer one when the lengths are far apart). */
export function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const at = positionsIn(a, b);
  const out = new Int32Array(at.length);
  for (let i = 0; i < at.length; i++) out[i] = a[at[i]!]!;
  return out;
}

/**
 * The positions in `pool` of the rowids `list` also holds (both sorted), ascending. Gallops
 * through whichever list is much the longer, so scoring a tier of 200 candidates against a word
 * found in 20,000 documents costs about 200 binary searches rather than a walk of 20,000.
 */
export function positionsIn(pool: Int32Array, list: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(pool.length, list.length));
  let n = 0;
  if (list.length > pool.length * 16) {
    for (let i = 0, j = 0; i < pool.length && j < list.length; i++) {
      j = seek(list, j, pool[i]!);
      if (list[j] === pool[i]) out[n++] = i;
    }
  } else if (pool.length > list.length * 16) {
    for (let j = 0, i = 0; j < list.length && i < pool.length; j++) {
      i = seek(pool, i, list[j]!);
      if (pool[i] === list[j]) out[n++] = i;
    }
  } else {
    for (let i = 0, j = 0; i < pool.length && j < list.length; ) {
      const x = pool[i]!;
      const y = list[j]!;
      if (x === y) {
        out[n++] = i;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
  }
  return out.subarray(0, n);
}

/**
 * The first position at or after `from` in the sorted `list` whose rowid is not below `x`
 * (list.length if none): exponential steps from `from`, then a binary search within the last step.
 */
function seek(list: Int32Array, from: number, x: number): number {
  if (from >= list.length || list[from]! >= x) return from;
  let bound = 1;
  while (from + bound < list.length && list[from + bound]! < x) bound *= 2;
  let l = from + (bound >> 1);
  let h = Math.min(from + bound, list.length);
  while (l < h) {
    const mid = (l + h) >> 1;
    if (list[mid]! < x) l = mid + 1;
    else h = mid;
  }
  return l;
}

/** Rowids in either sorted list, once. */
export function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) {
      out[n++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}

/**
 * A dense set of rowids as one bit per rowid (bit r % 32 of word r >> 5). A word found in a fifth
 * of the documents is 20,000 rowids as a list but 3,125 words as a bitmap; AND and OR of two
 * such sets are then 3,125 word operations rather than a merge of 40,000 entries. Lists at least
 * 1/32 of the way dense become bitmaps (where the bitmap is no larger than the list), as roaring
 * bitmaps do.
 */
export class Bitmap {
  constructor(
    readonly words: Uint32Array,
    /** How many bits are set. */
    readonly count: number,
  ) {}

  static of(list: Int32Array): Bitmap {
    const words = new Uint32Array(list.length ? (list[list.length - 1]! >> 5) + 1 : 0);
    for (let i = 0; i < list.length; i++) words[list[i]! >> 5]! |= 1 << (list[i]! & 31);
    return new Bitmap(words, list.length);
  }

  has(rowid: number): boolean {
    const w = rowid >> 5;
    return w < this.words.length && (this.words[w]! & (1 << (rowid & 31))) !== 0;
  }

  toList(): Int32Array {
    const out = new Int32Array(this.count);
    let n = 0;
    for (let i = 0; i < this.words.length; i++) {
      for (let w = this.words[i]!; w !== 0; w &= w - 1) out[n++] = (i << 5) + 31 - Math.clz32(w & -w);
    }
    return out;
  }
}

/** Whether a sorted list is dense enough to be held as a bitmap. */
export function dense(list: Int32Array): boolean {
  return list.length >= 64 && list.length * 32 >= list[list.length - 1]!;
}

export type RowSet = Int32Array | Bitmap;
const sizeOf = (s: RowSet) => (s instanceof Bitmap ? s.count : s.length);

function popcount(w: number): number {
  w -= (w >>> 1) & 0x55555555;
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Rowids in both sets. */
function and(a: RowSet, b: RowSet): RowSet {
  if (a instanceof Bitmap && b instanceof Bitmap) {
    const words = new Uint32Array(Math.min(a.words.length, b.words.length));
    let count = 0;
    for (let i = 0; i < words.length; i++) count += popcount((words[i] = a.words[i]! & b.words[i]!));
    return new Bitmap(words, count);
  }
  if (a instanceof Bitmap) [a, b] = [b, a];
  if (b instanceof Bitmap) {
    const list = a as Int32Array;
    const out = new Int32Array(list.length);
    let n = 0;
    for (let i = 0; i < list.length; i++) if (b.has(list[i]!)) out[n++] = list[i]!;
    return out.subarray(0, n);
  }
  return intersect(a as Int32Array, b);
}

/** Rowids in any of the sets: a bitmap when one of them is a bitmap, else a merged list. */
function or(sets: RowSet[]): RowSet {
  if (!sets.some((s) => s instanceof Bitmap)) return (sets as Int32Array[]).reduce((acc, list) => union(acc, list));
  let length = 0;
  for (const s of sets) length = Math.max(length, s instanceof Bitmap ? s.words.length : s.length ? (s[s.length - 1]! >> 5) + 1 : 0);
  const words = new Uint32Array(length);
  for (const s of sets) {
    if (s instanceof Bitmap) for (let i = 0; i < s.words.length; i++) words[i]! |= s.words[i]!;
    else for (let i = 0; i < s.length; i++) words[s[i]! >> 5]! |= 1 << (s[i]! & 31);
  }
  let count = 0;
  for (let i = 0; i < words.length; i++) count += popcount(words[i]!);
  return new Bitmap(words, count);
}

/**
 * Every rowid the tree matches, ascending, with each term's rowids given by `leaf` as a sorted
 * list or, for a dense term, a bitmap.
 */
export function evaluate(node: MatchNode, leaf: (term: string) => RowSet): Int32Array {
  const set = evaluateSet(node, leaf);
  return set instanceof Bitmap ? set.toList() : set;
}

function evaluateSet(node: MatchNode, leaf: (term: string) => RowSet): RowSet {
  if (typeof node === 'string') return leaf(node);
  const sets = node.of.map((n) => evaluateSet(n, leaf));
  if (node.op === 'or') return or(sets);
  // smallest first, so each step only checks the survivors so far
  sets.sort((a, b) => sizeOf(a) - sizeOf(b));
  let acc = sets[0]!;
  for (let i = 1; i < sets.length && sizeOf(acc) > 0; i++) acc = and(acc, sets[i]!);
  return acc;
}
