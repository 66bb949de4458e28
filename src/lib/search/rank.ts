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
import { evaluate, positionsIn, postingsOf } from './postings';
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

/**
 * The first `want` documents in rank order that pass the filter, and every document that matches
 * `trees`' last (widest) tree, for counting. `trees`: the exact tree first when typo'd
 * alternatives exist, then the tree with them.
 */
export function rank(db: Db, cache: IndexCache, trees: MatchNode[], passes: (rowid: number) => boolean, want: number): { top: Ranked[]; matched: Int32Array } {
  const postings = postingsOf(db, cache);
  const table = cache.facets;
  const widest = trees[trees.length - 1]!;
  const matched = evaluate(widest, (t) => postings.rows(t));
  const top: Ranked[] = [];
  if (!matched.length) return { top, matched };
  const placed = new Set<number>();
  const idf = (term: string) => {
    const df = postings.get(term).length;
    return Math.log(1 + (table.docs - df + 0.5) / (df + 0.5));
  };
  const titleWeight = (r: number) => WEIGHT.title * saturation(table.titleBytes[r]!, table.averageTitleBytes);
  const summaryWeight = (r: number) => WEIGHT.summary * saturation(table.summaryBytes[r]!, table.averageSummaryBytes);

  let tier = 0;
  for (const tree of trees) {
    const terms = [...termsOf(tree)];
    const pools = [
      () => evaluate(tree, (t) => postings.rows(t, 'title')),
      () => evaluate(tree, (t) => postings.rows(t, 'head')),
      () => (tree === widest ? matched : evaluate(tree, (t) => postings.rows(t))),
    ];
    for (let level = 0; level < pools.length; level++, tier++) {
      const need = want - top.length;
      if (need <= 0) return { top, matched };
      const pool = pools[level]!();
      if (!pool.length) continue;

      // BM25 of the tier's fields, added up per candidate: only the pool's own rowids are
      // looked up in each term's postings, never the whole of a common word's list
      const scores = new Float64Array(pool.length);
      for (const t of terms) {
        const w = idf(t);
        for (const i of positionsIn(pool, postings.get(t, 'title'))) scores[i]! += w * titleWeight(pool[i]!);
        if (level >= 1) for (const i of positionsIn(pool, postings.get(t, 'summary'))) scores[i]! += w * summaryWeight(pool[i]!);
        if (level >= 2) for (const i of positionsIn(pool, postings.get(t))) scores[i]! += w * WEIGHT.anywhere;
      }
      for (const i of best(pool, (r) => !placed.has(r) && passes(r), scores, need)) {
        placed.add(pool[i]!);
        top.push({ rowid: pool[i]!, tier, score: scores[i]! });
      }
    }
  }
  return { top, matched };
}

/** BM25's term-frequency part for a term found once in a field of this length. */
function saturation(length: number, average: number): number {
  return (K1 + 1) / (1 + K1 * (1 - B + (B * length) / average));
}

/**
 * The positions of the `k` highest-scoring rowids of `pool` that pass `keep`, best first; `scores`
 * runs parallel to `pool`. Ties go to the lower position, which is the lower rowid.
 */
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
  for (let p = 0; p < pool.length; p++) {
    if (!keep(pool[p]!)) continue;
    if (heap.length < k) {
      heap.push(p);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, p)) {
      heap[0] = p;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
