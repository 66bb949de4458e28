/**
 * Turns what a person typed into an FTS5 MATCH expression. User text never reaches FTS5 syntax:
 * only letter/digit terms, each double-quoted, joined by AND/OR that we write ourselves, so
 * `NEAR(`, `title:`, `*`, quotes and `-` are just characters that are dropped.
 *
 * Every query word is a clause that must match (AND). A clause's alternatives (OR):
 * - Latin word: its stem; for the last word also vocabulary terms it is a prefix of; for words
 *   of 5+ (9+) characters also vocabulary terms one (two) edits away — marked as typo'd so that
 *   exact matches rank first.
 * - Chinese word: the word itself, or all of its search-mode parts (电子商务 → 电子 AND 商务).
 * - A run of words that is a synonym: any member of its group.
 */
import { editDistance, hanParts, queryWords, stem, typoBudget, type QueryWord } from './analyze';
import type { MatchTerms } from './highlight';
import { completions, type IndexCache } from './vocabulary';
import { allOf, anyOf, type MatchNode } from './match-tree';

export const MAX_QUERY_WORDS = 24;
const PREFIX_EXPANSIONS = 10;
const TYPO_ALTERNATIVES = 3;

export interface QueryPlan {
  /** All alternatives, typo'd ones included (toFts5 writes it as an FTS5 expression). */
  matchTree: MatchNode;
  /** Without typo'd alternatives; null when there are none. */
  exactTree: MatchNode | null;
  terms: MatchTerms;
  words: QueryWord[];
  /** Query words the index does not know (for "did you mean"). */
  unknown: QueryWord[];
}

function hanExpr(word: string, terms: MatchTerms): MatchNode {
  terms.han.push(word);
  const parts = hanParts(word);
  if (parts.length >= 2) {
    terms.han.push(...parts);
    return anyOf([word, allOf(parts)]);
  }
  return word;
}

function latinExpr(word: string, terms: MatchTerms): MatchNode {
  const s = stem(word);
  terms.stems.add(s);
  return s;
}

/** An exact expression for a synonym phrase: all its words. */
function phraseExpr(phrase: QueryWord[], terms: MatchTerms): MatchNode {
  return allOf(phrase.map((w) => (w.han ? hanExpr(w.text, terms) : latinExpr(w.text, terms))));
}

function typoCandidates(cache: IndexCache, word: string): string[] {
  const budget = typoBudget(word);
  if (!budget || !/^[a-z]+$/.test(word)) return [];
  const s = stem(word);
  const found: [string, number][] = [];
  for (const term of cache.latinByFirst.get(word[0]!) ?? []) {
    if (term === word || term === s || Math.abs(term.length - word.length) > budget) continue;
    const d = editDistance(word, term, budget);
    if (d <= budget) found.push([term, d]);
  }
  found.sort((a, b) => a[1] - b[1] || cache.df.get(b[0])! - cache.df.get(a[0])!);
  return found.slice(0, TYPO_ALTERNATIVES).map(([t]) => t);
}

function matchPhrase(words: QueryWord[], at: number, phrase: QueryWord[]): boolean {
  if (at + phrase.length > words.length) return false;
  return phrase.every((p, i) => p.han === words[at + i]!.han && p.text === words[at + i]!.text);
}

export function planQuery(cache: IndexCache, q: string, options: { prefix?: boolean } = {}): QueryPlan | null {
  const words = queryWords(q).slice(0, MAX_QUERY_WORDS);
  if (!words.length) return null;
  const terms: MatchTerms = { stems: new Set(), prefixes: [], han: [] };
  const all: MatchNode[] = [];
  const exact: MatchNode[] = [];
  const unknown: QueryWord[] = [];
  let typos = false;
  for (let i = 0; i < words.length; ) {
    // the longest synonym phrase starting here
    let best: { len: number; group: QueryWord[][] } | null = null;
    for (const g of cache.synonyms) {
      for (const p of g.phrases) {
        if ((!best || p.length > best.len) && matchPhrase(words, i, p)) best = { len: p.length, group: g.phrases };
      }
    }
    if (best) {
      // "cross-border e-commerce" and "cross border ecommerce" can analyze alike: anyOf keeps
      // each distinct alternative once (the same doclists would otherwise be read twice)
      const expr = anyOf(best.group.map((p) => phraseExpr(p, terms)));
      all.push(expr);
      exact.push(expr);
      i += best.len;
      continue;
    }
    const w = words[i]!;
    const last = i === words.length - 1 && options.prefix !== false;
    const exactAlts: MatchNode[] = [];
    const typoAlts: MatchNode[] = [];
    if (w.han) {
      exactAlts.push(hanExpr(w.text, terms));
      if (!cache.df.has(w.text) && hanParts(w.text).length < 2) unknown.push(w);
      if (last) {
        const more = completions(cache, w.text, PREFIX_EXPANSIONS).filter((t) => t !== w.text);
        exactAlts.push(...more);
        terms.han.push(...more);
      }
    } else {
      exactAlts.push(latinExpr(w.text, terms));
      const known = cache.df.has(stem(w.text)) || cache.df.has(w.text);
      let completed = false;
      if (last && w.text.length >= 2) {
        const more = completions(cache, w.text, PREFIX_EXPANSIONS).filter((t) => t !== stem(w.text));
        exactAlts.push(...more);
        if (more.length) {
          terms.prefixes.push(w.text);
          completed = true;
        }
      }
      for (const t of typoCandidates(cache, w.text)) {
        typoAlts.push(t);
        terms.stems.add(t);
      }
      if (!known && !completed) unknown.push(w);
    }
    if (typoAlts.length) typos = true;
    all.push(anyOf([...exactAlts, ...typoAlts]));
    exact.push(anyOf(exactAlts));
    i++;
  }
  terms.han.sort((a, b) => b.length - a.length);
  const matchTree = allOf(all);
  return { matchTree, exactTree: typos ? allOf(exact) : null, terms, words, unknown };
}
