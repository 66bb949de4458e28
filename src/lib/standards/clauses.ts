/**
 * Splits a draft's Markdown into clauses. A heading whose text starts with a clause number
 * (`4`, `4.2`, `4.2.1`), an annex clause (`A.1`, `A.1.2`) or an annex title (`附录A`, `Annex A`)
 * opens a clause; everything up to the next such heading — paragraphs, lists, unnumbered
 * sub-headings and tables — belongs to it. Text before the first numbered heading is clause `0`.
 */
import { ContentCache } from '../memo';
export type Table = string[][];

export interface Clause {
  /** `4.2.1`, `A.1`, `A` or `0`. */
  id: string;
  title: string;
  /** Number of numbered levels: `4` → 1, `4.2.1` → 3, `A` → 1, `A.1` → 2. */
  depth: number;
  /** The clause's Markdown without its heading. */
  body: string;
  /** Its tables, each as rows of cell texts (the header row first). */
  tables: Table[];
  /** The body with the tables taken out, for word diffs. */
  prose: string;
}

const NUMBERED = /^(\d+(?:\.\d+)*)\.?(?:\s+|$)(.*)$/;
const ANNEX_CLAUSE = /^([A-Z](?:\.\d+)+)\.?(?:\s+|$)(.*)$/;
const ANNEX_TITLE = /^(?:附\s*录\s*([A-Z])|Annex\s+([A-Z]))(?![\w.])[\s:：]*(.*)$/i;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;

/** The clause a heading opens, or null for an ordinary heading. */
export function clauseHeading(text: string): { id: string; title: string } | null {
  const t = text.trim();
  let m = NUMBERED.exec(t);
  if (m) return { id: m[1]!, title: m[2]!.trim() };
  m = ANNEX_CLAUSE.exec(t);
  if (m) return { id: m[1]!, title: m[2]!.trim() };
  m = ANNEX_TITLE.exec(t);
  if (m) return { id: (m[1] ?? m[2])!.toUpperCase(), title: m[3]!.trim() };
  return null;
}

/**
 * A version's clauses, parsed once per text: versions are immutable and each page view, comment
 * and diff asks again. Callers must not mutate what they get (they filter and map it).
 */
const parsed = new ContentCache<Clause[]>(16_000_000, (clauses) => clauses.reduce((n, c) => n + c.body.length * 2, 0));

export function parseClauses(markdown: string): Clause[] {
  return parsed.get(markdown, () => parse(markdown));
}

function parse(markdown: string): Clause[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const clauses: { id: string; title: string; lines: string[] }[] = [{ id: '0', title: '', lines: [] }];
  let inFence = false;
  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    const h = inFence ? null : HEADING.exec(line);
    const opened = h ? clauseHeading(h[2]!) : null;
    if (opened) clauses.push({ ...opened, lines: [] });
    else clauses.at(-1)!.lines.push(line);
  }
  const seen = new Set<string>();
  const result: Clause[] = [];
  for (const c of clauses) {
    const body = c.lines.join('\n').trim();
    if (c.id === '0' && body === '') continue;
    // a repeated number would make anchors and comments ambiguous: keep the first, suffix the rest
    let id = c.id;
    for (let n = 2; seen.has(id); n++) id = `${c.id}~${n}`;
    seen.add(id);
    const { tables, prose } = extractTables(body);
    result.push({ id, title: c.title, depth: c.id === '0' ? 0 : c.id.split('.').length, body, tables, prose });
  }
  return result;
}

const isTableLine = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const isSeparator = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

export function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && inner[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** Pulls GFM pipe tables out of a clause body. */
export function extractTables(body: string): { tables: Table[]; prose: string } {
  const lines = body.split('\n');
  const tables: Table[] = [];
  const prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isTableLine(lines[i]!) && i + 1 < lines.length && isSeparator(lines[i + 1]!)) {
      const rows = [splitRow(lines[i]!)];
      i += 2;
      while (i < lines.length && isTableLine(lines[i]!)) rows.push(splitRow(lines[i++]!));
      i--;
      tables.push(rows);
      prose.push(`[table ${tables.length}]`);
    } else prose.push(lines[i]!);
  }
  return { tables, prose: prose.join('\n').trim() };
}

/** The HTML anchor of a clause: `clause-4.2.1`, `clause-A.1`. */
export const clauseAnchor = (id: string) => `clause-${id.replace(/[^\w.~-]/g, '-')}`;
