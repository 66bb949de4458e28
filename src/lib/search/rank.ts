/**
 * Ranking from term postings (postings.ts), with BM25 worked out here rather than by FTS5's
 * bm25(): that function re-reads the whole doclist of every query term on every search to count
 * document frequencies (0.8 ms for a common word even when four rows match), then reads every
 * matching row's term lists. The postings already hold both.
 *
 * Tiers, in order: exact matches before typo'd ones; within each, documents whose title holds the
 * whole query, then those whose title and summary do, then the rest. Within a tier, BM25 over the
 * fields the tier is about, with each term counted once per field (the index keeps which fields
 * hold a term, not how often): title weight 10, summary 4, anywhere 1; titles and summaries
 * normalized by their length (k1 = 1.2, b = 0.75). We stop as soon as the page is full, so for
 * common words the body-only matches are never scored.
 */
import type { Db } from '@db/client';
import { termsOf, type MatchNode } from './match-tree';
import { evaluate, postingsOf, type Field } from './postings';
import type { IndexCache } from './vocabulary';

const K1 = 1.2;
const B = 0.75;
const WEIGHT = { title: 10, summary: 4, anywhere: 1 };

export interface Ranked {
  rowid: number;
  /** 0…5: exact title, exact head, exact anywhere, then the same with typo'd words. */
  tier: number;
  score: number;
}

/** Scratch score per rowid, per index generation: zeroed again after every use. */
const scratch = new WeakMap<IndexCache, Float64Array>();

/**
 * The first `want` documents in rank order that pass the filter, and every document that matches
 * `trees`' last (widest) tree, for counting. `trees`: the exact tree first when typo'd
 * alternatives exist, then the tree with them.
 */
export function rank(db: Db, cache: IndexCache, trees: MatchNode[], passes: (rowid: number) => boolean, want: number): { top: Ranked[]; matched: Int32Array } {
  const postings = postingsOf(db, cache);
  const table = cache.facets;
  const widest = trees[trees.length - 1]!;
  const matched = evaluate(widest, (t) => postings.get(t));
  const top: Ranked[] = [];
  if (!matched.length) return { top, matched };
  let scores = scratch.get(cache);
  if (!scores) scratch.set(cache, (scores = new Float64Array(table.size)));
  const placed = new Uint8Array(table.size);
  const idf = (term: string) => {
    const df = postings.get(term).length;
    return Math.log(1 + (table.docs - df + 0.5) / (df + 0.5));
  };

  let tier = 0;
  for (const tree of trees) {
    const terms = [...termsOf(tree)];
    const pools = [
      () => evaluate(tree, (t) => postings.get(t, 'title')),
      () => evaluate(tree, (t) => postings.get(t, 'head')),
      () => (tree === widest ? matched : evaluate(tree, (t) => postings.get(t))),
    ];
    for (let level = 0; level < pools.length; level++, tier++) {
      const need = want - top.length;
      if (need <= 0) return { top, matched };
      const pool = pools[level]!();
      if (!pool.length) continue;

      // BM25 of the tier's fields, added up per document from each term's postings
      const fields: [Field, (rowid: number) => number][] = [['title', (r) => WEIGHT.title * saturation(table.titleBytes[r]!, table.averageTitleBytes)]];
      if (level >= 1) fields.push(['summary', (r) => WEIGHT.summary * saturation(table.summaryBytes[r]!, table.averageSummaryBytes)]);
      if (level >= 2) fields.push(['all', () => WEIGHT.anywhere]);
      for (const t of terms) {
        const w = idf(t);
        for (const [field, weight] of fields) for (const r of postings.get(t, field)) scores[r]! += w * weight(r);
      }
      const chosen = best(pool, (r) => !placed[r] && passes(r), scores, need);
      for (const r of chosen) {
        placed[r] = 1;
        top.push({ rowid: r, tier, score: scores[r]! });
      }
      for (const t of terms) for (const [field] of fields) for (const r of postings.get(t, field)) scores[r] = 0;
    }
  }
  return { top, matched };
}

/** BM25's term-frequency part for a term found once in a field of this length. */
function saturation(length: number, average: number): number {
  return (K1 + 1) / (1 + K1 * (1 - B + (B * length) / average));
}

/** The `k` highest-scoring rowids of `pool` that pass `keep`, best first (ties: lower rowid first). */
function best(pool: Int32Array, keep: (rowid: number) => boolean, scores: Float64Array, k: number): number[] {
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  // a min-heap of the best k so far, the worst at its root
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const r of pool) {
    if (!keep(r)) continue;
    if (heap.length < k) {
      heap.push(r);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (worse(heap[0]!, r)) {
      heap[0] = r;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
