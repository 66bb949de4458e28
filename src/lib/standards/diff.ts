/**
 * Clause-by-clause comparison of two versions. Clauses are matched by content first and number
 * second (`matchClauses`), so a clause renumbered by an insertion above it is `moved`, not
 * confused with the new clause that took its number; a moved clause may also have changed
 * (`contentChanged`). Prose is compared word by word (Chinese split into words with
 * Intl.Segmenter), tables cell by cell.
 */
import { diffArrays, diffWordsWithSpace, diffWords } from 'diff';
import { parseClauses, type Clause, type Table } from './clauses';
import { ContentCache } from '../memo';

export type ClauseStatus = 'added' | 'removed' | 'changed' | 'moved' | 'unchanged';

export interface WordPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface CellDiff {
  status: 'same' | 'changed' | 'added' | 'removed';
  old?: string;
  new?: string;
}

export interface TableDiff {
  status: 'same' | 'changed' | 'added' | 'removed';
  rows: { status: 'same' | 'changed' | 'added' | 'removed'; cells: CellDiff[] }[];
}

export interface ClauseDiff {
  status: ClauseStatus;
  /** The clause's number in the newer version (or the older one when removed). */
  id: string;
  /** Its number in the older version when it moved. */
  fromId?: string;
  title: string;
  fromTitle?: string;
  /** Whether the words or tables differ (a moved clause may also be changed). */
  contentChanged: boolean;
  words: WordPart[];
  tables: TableDiff[];
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

function wordDiff(a: string, b: string): WordPart[] {
  const parts = /[\u3400-\u9fff]/.test(a + b)
    ? diffWords(a, b, { intlSegmenter: segmenter })
    : diffWordsWithSpace(a, b);
  return parts.map((p) => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) }));
}

function rowKey(row: string[]) {
  return row[0] ?? '';
}

export function diffTables(a: Table | undefined, b: Table | undefined): TableDiff {
  if (!a) return { status: 'added', rows: b!.map((r) => ({ status: 'added', cells: r.map((c) => ({ status: 'added', new: c })) })) };
  if (!b) return { status: 'removed', rows: a.map((r) => ({ status: 'removed', cells: r.map((c) => ({ status: 'removed', old: c })) })) };
  // Rows are matched by their first cell (a grade, a criterion) when those are unique, else by position.
  const keysUnique = (t: Table) => new Set(t.map(rowKey)).size === t.length;
  const byKey = keysUnique(a) && keysUnique(b);
  const rows: TableDiff['rows'] = [];
  const usedOld = new Set<number>();
  b.forEach((row, i) => {
    const j = byKey ? a.findIndex((r) => rowKey(r) === rowKey(row)) : i < a.length ? i : -1;
    if (j < 0) {
      rows.push({ status: 'added', cells: row.map((c) => ({ status: 'added', new: c })) });
      return;
    }
    usedOld.add(j);
    const old = a[j]!;
    const width = Math.max(old.length, row.length);
    const cells: CellDiff[] = [];
    for (let k = 0; k < width; k++) {
      const o = old[k];
      const n = row[k];
      if (o === undefined) cells.push({ status: 'added', new: n });
      else if (n === undefined) cells.push({ status: 'removed', old: o });
      else cells.push({ status: norm(o) === norm(n) ? 'same' : 'changed', old: o, new: n });
    }
    rows.push({ status: cells.every((c) => c.status === 'same') ? 'same' : 'changed', cells });
  });
  a.forEach((row, j) => {
    if (!usedOld.has(j)) rows.push({ status: 'removed', cells: row.map((c) => ({ status: 'removed', old: c })) });
  });
  return { status: rows.every((r) => r.status === 'same') ? 'same' : 'changed', rows };
}

const contentKey = (c: Clause) => `${norm(c.title)}\n${norm(c.body)}`;

const wordCache = new WeakMap<Clause, string[]>();
function wordsOf(c: Clause): string[] {
  let words = wordCache.get(c);
  if (!words) wordCache.set(c, (words = [...segmenter.segment(`${c.title} ${c.body}`)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase())));
  return words;
}

/**
 * How alike two clauses are, from 0 to 1: twice the words their longest common subsequence keeps,
 * over the words of both (difflib's ratio, over words). Order counts, so a reordered list or a
 * clause that shares only its vocabulary scores lower than one edited in a few places. Below
 * `atLeast` it may answer any value under `atLeast` without computing the exact one.
 */
export function similarity(a: Clause, b: Clause, atLeast = 0): number {
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  if (wa.length + wb.length === 0) return 1;
  // The words both have, counted with repetition, bound the subsequence from above (difflib's
  // quick_ratio): unrelated clauses are told apart without the quadratic diff.
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of wb) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(w, n - 1);
    }
  }
  const bound = (2 * shared) / (wa.length + wb.length);
  if (bound < atLeast) return bound;
  const kept = diffArrays(wa, wb).reduce((n, part) => (part.added || part.removed ? n : n + part.count!), 0);
  return (2 * kept) / (wa.length + wb.length);
}

function compare(status: ClauseStatus, a: Clause, b: Clause): ClauseDiff {
  const tableCount = Math.max(a.tables.length, b.tables.length);
  const tables = Array.from({ length: tableCount }, (_, i) => diffTables(a.tables[i], b.tables[i]));
  const proseChanged = norm(a.prose) !== norm(b.prose) || norm(a.title) !== norm(b.title);
  const contentChanged = proseChanged || tables.some((t) => t.status !== 'same');
  return {
    status: status === 'moved' ? 'moved' : contentChanged ? 'changed' : 'unchanged',
    id: b.id,
    ...(status === 'moved' ? { fromId: a.id } : {}),
    title: b.title,
    ...(a.title !== b.title ? { fromTitle: a.title } : {}),
    contentChanged,
    words: proseChanged ? wordDiff(a.prose, b.prose) : [{ value: b.prose }],
    tables,
  };
}

/** A clause found under another number must be at least this alike to count as the same clause. */
export const MOVE_SIMILARITY = 0.6;
/** A clause that kept its number may be rewritten further before it counts as removed and replaced. */
export const EDIT_SIMILARITY = 0.3;

/**
 * Which clause of the newer version each clause of the older one became: new id → old clause.
 * Content decides before numbers, since inserting a clause renumbers every one after it:
 * 1. identical text, when that text occurs once in each version (or at the same number);
 * 2. a clause that kept its number and is alike (at least MOVE_SIMILARITY): edited in place;
 * 3. the most alike remaining pairs under different numbers (at least MOVE_SIMILARITY): moved;
 * 4. a clause that kept its number and is rewritten, yet still somewhat alike (EDIT_SIMILARITY).
 * What is left unmatched was removed or added.
 */
export function matchClauses(from: Clause[], to: Clause[]): Map<string, Clause> {
  const matches = new Map<string, Clause>();
  const usedOld = new Set<Clause>();
  const pair = (o: Clause, n: Clause) => {
    matches.set(n.id, o);
    usedOld.add(o);
  };
  const groups = new Map<string, { old: Clause[]; new: Clause[] }>();
  for (const c of from) {
    const g = groups.get(contentKey(c)) ?? { old: [], new: [] };
    g.old.push(c);
    groups.set(contentKey(c), g);
  }
  for (const c of to) groups.get(contentKey(c))?.new.push(c);
  for (const g of groups.values()) {
    if (g.old.length === 1 && g.new.length === 1) pair(g.old[0]!, g.new[0]!);
    else for (const n of g.new) {
      const o = g.old.find((x) => x.id === n.id);
      if (o) pair(o, n);
    }
  }
  const sameNumber = (threshold: number) => {
    const newById = new Map(to.map((c) => [c.id, c]));
    for (const o of from) {
      const n = newById.get(o.id);
      if (n && !usedOld.has(o) && !matches.has(n.id) && similarity(o, n, threshold) >= threshold) pair(o, n);
    }
  };
  sameNumber(MOVE_SIMILARITY);
  const moves: { o: Clause; n: Clause; score: number }[] = [];
  for (const o of from) {
    if (usedOld.has(o)) continue;
    for (const n of to) {
      if (matches.has(n.id) || n.id === o.id) continue;
      const score = similarity(o, n, MOVE_SIMILARITY);
      if (score >= MOVE_SIMILARITY) moves.push({ o, n, score });
    }
  }
  moves.sort((x, y) => y.score - x.score);
  for (const { o, n } of moves) if (!usedOld.has(o) && !matches.has(n.id)) pair(o, n);
  sameNumber(EDIT_SIMILARITY);
  return matches;
}

export function diffClauses(from: Clause[], to: Clause[]): ClauseDiff[] {
  const matches = matchClauses(from, to);
  const matchedOld = new Set([...matches.values()].map((c) => c.id));
  const result: ClauseDiff[] = [];
  for (const c of to) {
    const old = matches.get(c.id);
    if (old) result.push(compare(old.id === c.id ? 'unchanged' : 'moved', old, c));
    else
      result.push({
        status: 'added',
        id: c.id,
        title: c.title,
        contentChanged: true,
        words: [{ value: c.prose, added: true }],
        tables: c.tables.map((t) => diffTables(undefined, t)),
      });
  }
  // removed clauses go where they stood in the older version
  for (const [index, c] of from.entries()) {
    if (matchedOld.has(c.id)) continue;
    const entry: ClauseDiff = {
      status: 'removed',
      id: c.id,
      title: c.title,
      contentChanged: true,
      words: [{ value: c.prose, removed: true }],
      tables: c.tables.map((t) => diffTables(t, undefined)),
    };
    const cameFrom = (r: ClauseDiff, p: Clause) => r.status !== 'added' && (r.fromId ?? r.id) === p.id;
    const prev = from.slice(0, index).reverse().find((p) => result.some((r) => cameFrom(r, p)));
    const at = prev ? result.findIndex((r) => cameFrom(r, prev)) + 1 : 0;
    result.splice(at, 0, entry);
  }
  return result;
}

/** Diffs by the two texts compared (immutable versions, so each pair is worked out once per process). */
const diffs = new ContentCache<ClauseDiff[]>(16_000_000, (d) => d.length * 2_000);
const fatesCache = new ContentCache<Map<string, ClauseFate>>(4_000_000, (f) => f.size * 100);
const pairKey = (fromMd: string, toMd: string) => `${fromMd.length}:${fromMd}\u0000${toMd}`;

export function diffVersions(fromMd: string, toMd: string): ClauseDiff[] {
  return diffs.get(pairKey(fromMd, toMd), () => diffClauses(parseClauses(fromMd), parseClauses(toMd)));
}

/**
 * What became of an older version's clause in a newer one, for carried-forward comments. `moved`
 * (its number changed) and `changed` (its words or tables changed) are independent: a clause can
 * be both. A removed clause is neither; it has no `clause` in the newer version.
 */
export interface ClauseFate {
  status: 'unchanged' | 'changed' | 'moved' | 'removed';
  /** Its number in the newer version. */
  clause?: string;
  moved: boolean;
  changed: boolean;
}

export const REMOVED: ClauseFate = { status: 'removed', moved: false, changed: false };

/** The fate of every clause of `fromMd` in `toMd`, by its number in `fromMd`. */
export function clauseFates(fromMd: string, toMd: string): Map<string, ClauseFate> {
  return fatesCache.get(pairKey(fromMd, toMd), () => computeFates(fromMd, toMd));
}

function computeFates(fromMd: string, toMd: string): Map<string, ClauseFate> {
  const fates = new Map<string, ClauseFate>();
  for (const d of diffVersions(fromMd, toMd)) {
    if (d.status === 'added') continue;
    if (d.status === 'removed') {
      fates.set(d.id, REMOVED);
      continue;
    }
    const moved = d.status === 'moved';
    fates.set(d.fromId ?? d.id, { status: moved ? 'moved' : d.contentChanged ? 'changed' : 'unchanged', clause: d.id, moved, changed: d.contentChanged });
  }
  return fates;
}

export function clauseFate(fromMd: string, toMd: string, clauseId: string): ClauseFate {
  return clauseFates(fromMd, toMd).get(clauseId) ?? REMOVED;
}
