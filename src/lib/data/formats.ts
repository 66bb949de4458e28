/**
 * One way to write a dataset's figures in each format (issue 18): CSV and JSON for downloads and
 * the API, and the text of a cell on a page. A withheld cell (see figures.ts) is null in JSON and
 * "< 10" in CSV and on pages; a cell with no value (a rate over nothing) is empty.
 */
import type { Lang } from '~/i18n';
import type { Figures } from './figures';
import { SUPPRESS_BELOW, type Cell, type Column, type Localized } from './types';

export const SUPPRESSED_TEXT = `< ${SUPPRESS_BELOW}`;

/** A CSV field: RFC 4180 quoting; text that a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(value: Cell, withheld: boolean): string {
  if (withheld) return SUPPRESSED_TEXT;
  if (value === null) return '';
  // numbers stay numbers: -3 is a value, not a formula
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF lines, a header row of column keys. */
export function datasetCsv(f: Figures): string {
  const keys = f.dataset.columns.map((c) => c.key);
  const lines = [keys.map((k) => csvField(k, false)).join(',')];
  f.rows.forEach((row, i) => lines.push(keys.map((k) => csvField(row[k] ?? null, f.suppressed[i]!.has(k))).join(',')));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export interface DatasetBody {
  id: string;
  theme: string;
  title: Localized;
  description: Localized;
  computedAt: string;
  columns: { key: string; type: string; label: Localized; meaning: Localized; codes?: Record<string, Localized>; suppressed: boolean }[];
  suppression: { threshold: number };
  rows: Record<string, Cell>[];
}

/** The JSON download and the API's answer: the same rows, withheld cells null. */
export function datasetBody(f: Figures): DatasetBody {
  const d = f.dataset;
  return {
    id: d.id,
    theme: d.theme,
    title: d.title,
    description: d.description,
    computedAt: f.computedAt.toISOString(),
    columns: d.columns.map((c) => ({ key: c.key, type: c.type, label: c.label, meaning: c.meaning, ...(c.codes ? { codes: c.codes } : {}), suppressed: !!c.suppress })),
    suppression: { threshold: SUPPRESS_BELOW },
    rows: f.rows,
  };
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN', options)));
  return format;
}

/** A code's label in the page's language, or the code itself when the column has no label for it. */
export const codeLabel = (column: Column, value: string, lang: Lang): string => column.codes?.[value]?.[lang] ?? value;

/** A cell as a page shows it: codes as labels, numbers in the language's format, rates as percentages. */
export function cellText(column: Column, value: Cell, withheld: boolean, lang: Lang): string {
  if (withheld) return SUPPRESSED_TEXT;
  if (value === null) return '–';
  if (typeof value === 'string') return codeLabel(column, value, lang);
  switch (column.type) {
    case 'rate':
      return numberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'year':
      return String(value);
    case 'integer':
      return numberFormat(lang, { maximumFractionDigits: 0 }).format(value);
    default:
      return numberFormat(lang, { maximumFractionDigits: 2 }).format(value);
  }
}
