/**
 * Turns two clauses of a published standard into scheme data: the indicator clause's table
 * (indicator, maximum points or weight) and the band clause's table (grade, minimum score).
 * Points and minimums come out as integers; a weight in per cent is points out of 100. Every
 * problem names its clause and, for a row, the row (1 = the first row under the header), so the
 * editor can fix the standard's table; its English sentence has Chinese in the credit-schemes
 * dictionary (`schemeParsePatterns`).
 */
import { DEFAULT_GRADES, type SchemeBand, type SchemeIndicator } from '@db/schema';
import { parseClauses, type Clause, type Table } from '~/lib/standards/clauses';

export interface SchemeParse {
  indicators: SchemeIndicator[];
  bands: SchemeBand[];
}

/** Which of the two clauses a problem is about (the form's field of the same name). */
export type ParseField = 'indicatorClause' | 'bandClause';

export type ParseResult = { ok: true; value: SchemeParse } | { ok: false; problems: Partial<Record<ParseField, string[]>> };

const CJK = /[\u3400-\u9fff]/;

/** "合规经营 Compliance" → Chinese and English parts; a one-language cell is its own label. */
export function splitLabel(cell: string): { label: string; labelZh?: string } {
  const text = cell.replace(/\*\*|__/g, '').trim();
  let m = /^([^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s+([A-Za-z].*)$/.exec(text);
  if (m) return { label: m[2]!.trim(), labelZh: m[1]!.trim() };
  m = /^([A-Za-z][^\u3400-\u9fff]*?)\s+([\u3400-\u9fff].*)$/.exec(text);
  if (m) return { label: m[1]!.trim(), labelZh: m[2]!.trim() };
  return CJK.test(text) ? { label: text, labelZh: text } : { label: text };
}

const clean = (cell: string) => cell.replace(/\*\*|__|`/g, '').replace(/\s+/g, ' ').trim();

/** Points or a weight: "40", "40 分", "40 points", "40%", "40 %". */
export function readPoints(cell: string): { value: number; percent: boolean } | null {
  const m = /^(\d+(?:\.\d+)?)\s*(分|points?|pts?|%|％)?$/i.exec(clean(cell));
  if (!m) return null;
  return { value: Number(m[1]), percent: m[2] === '%' || m[2] === '％' };
}

/**
 * The minimum score a band cell states: "≥ 90", ">= 90", "> 89", "90 分以上", "90–100", "80-89",
 * "90"; "< 60" and "60 分以下" are the bottom band, from 0.
 */
export function readMinimum(cell: string): number | null {
  const text = clean(cell).replace(/分/g, '').replace(/\s+/g, ' ');
  let m = /^(?:≥|>=|⩾|不低于|不少于)\s*(\d+)$/.exec(text) ?? /^(\d+)\s*(?:及以上|以上|或以上|or more|and above|\+)$/i.exec(text);
  if (m) return Number(m[1]);
  m = /^(?:>|＞)\s*(\d+)$/.exec(text);
  if (m) return Number(m[1]) + 1;
  if (/^(?:<|＜|≤|<=|低于|不足)\s*\d+$/.test(text) || /^\d+\s*(?:以下|分以下|below)$/i.test(text)) return 0;
  m = /^(\d+)\s*(?:[-–—~～至到]|to)\s*(\d+)$/i.exec(text);
  if (m) return Math.min(Number(m[1]), Number(m[2]));
  m = /^(\d+)$/.exec(text);
  return m ? Number(m[1]) : null;
}

function findClause(clauses: Clause[], id: string): Clause | undefined {
  return clauses.find((c) => c.id === id);
}

const sameText = (a: string | undefined, b: string | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The clause whose heading names the indicator (in either language), if one other than the two parsed does. */
function clauseNaming(clauses: Clause[], cell: string, exclude: string[]): string | undefined {
  const wanted = splitLabel(cell);
  const match = clauses.find((c) => {
    if (exclude.includes(c.id) || c.id === '0' || !c.title) return false;
    if (sameText(clean(c.title), clean(cell))) return true;
    const title = splitLabel(c.title);
    return sameText(title.label, wanted.label) || (!!wanted.labelZh && sameText(title.labelZh, wanted.labelZh));
  });
  return match?.id;
}

/** The table's data rows (the header row dropped), keeping each row's number for messages. */
const dataRows = (table: Table) => table.slice(1).map((cells, i) => ({ row: i + 1, cells: cells.map(clean) })).filter((r) => r.cells.some((c) => c !== ''));

function parseIndicators(clauses: Clause[], clause: Clause, exclude: string[]): { ok: true; value: SchemeIndicator[] } | { ok: false; problem: string } {
  const id = clause.id;
  if (clause.tables.length === 0) return { ok: false, problem: `Clause ${id} has no table of indicators (indicator, maximum points or weight).` };
  let first: string | undefined;
  // A clause may hold more than one table: the first that reads as indicators is the one.
  for (const table of clause.tables) {
    const result = readIndicatorTable(clauses, table, id, exclude);
    if (result.ok) return result;
    first ??= result.problem;
  }
  return { ok: false, problem: first! };
}

function readIndicatorTable(clauses: Clause[], table: Table, id: string, exclude: string[]): { ok: true; value: SchemeIndicator[] } | { ok: false; problem: string } {
  const rows = dataRows(table);
  if (rows.length === 0 || (table[0]?.length ?? 0) < 2) return { ok: false, problem: `Clause ${id} has no table of indicators (indicator, maximum points or weight).` };
  const indicators: SchemeIndicator[] = [];
  let percent = 0;
  for (const { row, cells } of rows) {
    const [name = '', pointsCell = ''] = cells;
    if (!name) return { ok: false, problem: `Row ${row} of the table in clause ${id} names no indicator.` };
    const points = readPoints(pointsCell);
    if (!points || !Number.isInteger(points.value) || points.value <= 0) {
      return { ok: false, problem: `Row ${row} of the table in clause ${id}: the points or weight must be a whole number greater than 0, like 40, 40 分 or 40%, not “${pointsCell}”.` };
    }
    if (points.percent) percent++;
    const link = clauseNaming(clauses, name, exclude);
    indicators.push({ key: `i${indicators.length + 1}`, ...splitLabel(name), maxPoints: points.value, clause: link ?? id });
  }
  if (percent > 0 && percent < indicators.length) return { ok: false, problem: `Clause ${id} mixes weights in per cent with points; use one or the other.` };
  const total = indicators.reduce((sum, i) => sum + i.maxPoints, 0);
  if (percent > 0 && total !== 100) return { ok: false, problem: `The weights in clause ${id} add up to ${total}%, not 100%.` };
  return { ok: true, value: indicators };
}

function parseBands(clause: Clause): { ok: true; value: SchemeBand[] } | { ok: false; problem: string } {
  const id = clause.id;
  const table = clause.tables[0];
  if (!table || dataRows(table).length === 0) return { ok: false, problem: `Clause ${id} has no table of grade bands (grade, minimum score).` };
  const rows = dataRows(table);
  // A table of scores alone takes the default grades, best first.
  const scoresOnly = (table[0]?.length ?? 0) === 1;
  if (scoresOnly && rows.length > DEFAULT_GRADES.length) return { ok: false, problem: `Clause ${id} lists ${rows.length} scores without grades; name the grades in the table.` };
  const bands: SchemeBand[] = [];
  for (const { row, cells } of rows) {
    const [gradeCell = '', scoreCell = ''] = scoresOnly ? ['', cells[0]!] : cells;
    const grade = scoresOnly ? DEFAULT_GRADES[row - 1]! : gradeCell.replace(/\s*(级|grade)$/i, '').toUpperCase();
    if (!/^[A-Z][A-Z+-]{0,9}$/.test(grade)) return { ok: false, problem: `Row ${row} of the table in clause ${id} names no grade like AAA or B: “${gradeCell}”.` };
    const min = readMinimum(scoreCell);
    if (min === null) return { ok: false, problem: `Row ${row} of the table in clause ${id} gives no minimum score like ≥ 90, 80–89 or < 60: “${scoreCell}”.` };
    if (bands.some((b) => b.grade === grade)) return { ok: false, problem: `Row ${row} of the table in clause ${id} repeats the grade ${grade}.` };
    const previous = bands.at(-1);
    if (previous && min >= previous.minScore) {
      return { ok: false, problem: `Row ${row} of the table in clause ${id}: minimum scores must fall from the best grade to the worst, but ${grade} starts at ${min} after ${previous.grade} at ${previous.minScore}.` };
    }
    bands.push({ grade, minScore: min });
  }
  if (bands.length < 2) return { ok: false, problem: `Clause ${id} lists fewer than two grades.` };
  return { ok: true, value: bands };
}

/** Parses the two clauses of a standard's text into indicators and bands, or says what is wrong with each. */
export function parseScheme(markdown: string, indicatorClause: string, bandClause: string): ParseResult {
  const clauses = parseClauses(markdown);
  const problems: Partial<Record<ParseField, string[]>> = {};
  const indicatorSource = findClause(clauses, indicatorClause);
  const bandSource = findClause(clauses, bandClause);
  if (!indicatorSource) problems.indicatorClause = [`Clause ${indicatorClause} does not exist in the standard.`];
  if (!bandSource) problems.bandClause = [`Clause ${bandClause} does not exist in the standard.`];
  if (indicatorClause === bandClause && indicatorSource) problems.bandClause = ['Choose a clause other than the indicator clause for the grade bands.'];
  const indicators = indicatorSource ? parseIndicators(clauses, indicatorSource, [indicatorClause, bandClause]) : null;
  const bands = bandSource && !problems.bandClause ? parseBands(bandSource) : null;
  if (indicators && !indicators.ok) problems.indicatorClause = [indicators.problem];
  if (bands && !bands.ok) problems.bandClause = [bands.problem];
  if (indicators?.ok && bands?.ok) {
    const max = indicators.value.reduce((sum, i) => sum + i.maxPoints, 0);
    const best = bands.value[0]!;
    if (best.minScore > max) problems.bandClause = [`The grade ${best.grade} needs ${best.minScore} points, but the indicators give at most ${max}.`];
    else if (Object.keys(problems).length === 0) return { ok: true, value: { indicators: indicators.value, bands: bands.value } };
  }
  return { ok: false, problems };
}
