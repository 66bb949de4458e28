/**
 * Clause-by-clause comparison of two versions. Clauses are matched by number; a clause whose
 * number disappeared and whose content reappears under another number is `moved` (and also
 * changed when its words differ). Prose is compared word by word (Chinese split into words with
 * Intl.Segmenter), tables cell by cell.
 */
import { diffWordsWithSpace, diffWords } from 'diff';
import { parseClauses, type Clause, type Table } from './clauses';

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

function sameContent(a: Clause, b: Clause) {
  return norm(a.title) === norm(b.title) && norm(a.body) === norm(b.body);
}

/** Share of distinct words two clauses have in common (Dice coefficient). */
function similarity(a: Clause, b: Clause): number {
  const words = (c: Clause) => new Set([...segmenter.segment(`${c.title} ${c.body}`)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase()));
  const wa = words(a);
  const wb = words(b);
  if (wa.size + wb.size === 0) return 1;
  let common = 0;
  for (const w of wa) if (wb.has(w)) common++;
  return (2 * common) / (wa.size + wb.size);
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

export const MOVE_SIMILARITY = 0.6;

export function diffClauses(from: Clause[], to: Clause[]): ClauseDiff[] {
  const oldById = new Map(from.map((c) => [c.id, c]));
  const newIds = new Set(to.map((c) => c.id));
  const orphansOld = from.filter((c) => !newIds.has(c.id));
  const moves = new Map<string, Clause>(); // new id → old clause
  for (const c of to) {
    if (oldById.has(c.id)) continue;
    const exact = orphansOld.find((o) => sameContent(o, c) && ![...moves.values()].includes(o));
    const candidate =
      exact ??
      orphansOld
        .filter((o) => ![...moves.values()].includes(o))
        .map((o) => ({ o, s: similarity(o, c) }))
        .filter((x) => x.s >= MOVE_SIMILARITY)
        .sort((x, y) => y.s - x.s)[0]?.o;
    if (candidate) moves.set(c.id, candidate);
  }
  const movedOld = new Set([...moves.values()].map((c) => c.id));
  const result: ClauseDiff[] = [];
  for (const c of to) {
    const old = oldById.get(c.id);
    const moved = moves.get(c.id);
    if (old) result.push(compare('unchanged', old, c));
    else if (moved) result.push(compare('moved', moved, c));
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
    if (newIds.has(c.id) || movedOld.has(c.id)) continue;
    const entry: ClauseDiff = {
      status: 'removed',
      id: c.id,
      title: c.title,
      contentChanged: true,
      words: [{ value: c.prose, removed: true }],
      tables: c.tables.map((t) => diffTables(t, undefined)),
    };
    const prev = from.slice(0, index).reverse().find((p) => result.some((r) => r.id === p.id || r.fromId === p.id));
    const at = prev ? result.findIndex((r) => r.id === prev.id || r.fromId === prev.id) + 1 : 0;
    result.splice(at, 0, entry);
  }
  return result;
}

export function diffVersions(fromMd: string, toMd: string): ClauseDiff[] {
  return diffClauses(parseClauses(fromMd), parseClauses(toMd));
}

/** What happened to one clause between two versions, for carried-forward comments. */
export function clauseFate(fromMd: string, toMd: string, clauseId: string): { status: 'unchanged' | 'changed' | 'removed' | 'moved'; id?: string } {
  const d = diffVersions(fromMd, toMd).find((c) => (c.status === 'moved' ? c.fromId === clauseId : c.id === clauseId));
  if (!d || d.status === 'removed') return { status: 'removed' };
  if (d.status === 'added') return { status: 'removed' };
  if (d.status === 'moved') return { status: 'moved', id: d.id };
  return { status: d.status === 'changed' ? 'changed' : 'unchanged', id: d.id };
}
