/**
 * Term postings in memory: the sorted rowids of the documents holding an index term (anywhere,
 * in the title, or in the summary), read from search_fts once and kept for the index generation
 * they were read in (a write to the index from any process starts a new generation, which drops
 * them with every other per-generation cache).
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
import type { IndexCache } from './vocabulary';

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
}

const perGeneration = new WeakMap<IndexCache, Postings>();

/** The postings of this index generation. */
export function postingsOf(db: Db, cache: IndexCache): Postings {
  let postings = perGeneration.get(cache);
  if (!postings) perGeneration.set(cache, (postings = new Postings(db)));
  postings.budget = postingsBudget();
  return postings;
}

/** Rowids in both sorted lists; gallops through the longer one when the lengths are far apart. */
export function intersect(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length > b.length) [a, b] = [b, a];
  const out = new Int32Array(a.length);
  let n = 0;
  if (b.length > a.length * 16) {
    // for each rowid of the short list, the first position in the long one not below it:
    // exponential steps from the last position, then a binary search within the last step
    let lo = 0;
    for (let i = 0; i < a.length && lo < b.length; i++) {
      const x = a[i]!;
      let bound = 1;
      while (lo + bound < b.length && b[lo + bound]! < x) bound *= 2;
      let l = lo + (bound >> 1);
      let h = Math.min(lo + bound, b.length);
      while (l < h) {
        const mid = (l + h) >> 1;
        if (b[mid]! < x) l = mid + 1;
        else h = mid;
      }
      lo = l;
      if (lo < b.length && b[lo] === x) out[n++] = x;
    }
  } else {
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) {
        out[n++] = x;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
  }
  return out.subarray(0, n);
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

/** Every rowid the tree matches, ascending, with each term's rowids given by `leaf`. */
export function evaluate(node: MatchNode, leaf: (term: string) => Int32Array): Int32Array {
  if (typeof node === 'string') return leaf(node);
  const lists = node.of.map((n) => evaluate(n, leaf)).sort((a, b) => a.length - b.length);
  let acc = lists[0]!;
  for (const list of lists.slice(1)) {
    if (node.op === 'and' && !acc.length) break;
    acc = node.op === 'and' ? intersect(acc, list) : union(acc, list);
  }
  return acc;
}
