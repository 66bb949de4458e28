/**
 * Open data (issue 18): what a dataset is. Each theme file (themes/*.ts) lists its datasets; the
 * registry (registry.ts) collects them; the runtime (cache, suppression, CSV/JSON, pages, API,
 * DCAT) works on any dataset through this shape alone.
 *
 * A dataset's `compute` runs SQL aggregates over PUBLIC rows only (published courses, findings
 * that are published and not embargoed, standards from public comment on, verified
 * organizations, issued certificates; settlement only in aggregate) and returns raw figures.
 * Small-cell suppression is applied afterwards by the runtime from the column's `suppress`, so a
 * dataset never has to remember to do it, and every output (page, CSV, JSON, API) shows the same.
 */
import type { Db } from '@db/client';

export type Theme = 'talent' | 'research' | 'standards' | 'settlement' | 'organizations';
export const THEMES: readonly Theme[] = ['talent', 'research', 'standards', 'settlement', 'organizations'];

export interface Localized {
  'zh-cn': string;
  en: string;
}

/** `date` is YYYY-MM-DD; `quarter` is YYYY-Qn; `year` is an integer year; `rate` is a fraction 0–1. */
export type ColumnType = 'string' | 'integer' | 'number' | 'rate' | 'date' | 'quarter' | 'year';

export type Cell = string | number | null;
/** A row keyed by column key. `compute` may add keys that are no column (see `Column.suppress`); they are dropped. */
export type Row = Record<string, Cell>;

export interface Column {
  key: string;
  type: ColumnType;
  label: Localized;
  /** The data dictionary's "meaning" of this column, in both languages. */
  meaning: Localized;
  /** A coded column's display names (value → label); CSV and JSON carry the code. */
  codes?: Record<string, Localized>;
  /**
   * Small-cell suppression: the cell is withheld (JSON null, CSV and pages "< 10") when the count
   * in column `by` of the same row (this column itself when omitted) is under the threshold
   * (SUPPRESS_BELOW, 10). Settlement's counts, rates and medians use it.
   *
   * `by` may also name a key that `compute` returns but that is not a column: such a key is read
   * for this test only and never published (the runtime keeps only the declared columns). A rate
   * or a median is then withheld by a count that is not itself shown, so no total stands beside a
   * suppressed cell for anyone to subtract from.
   */
  suppress?: { by?: string };
}

export interface Chart {
  /** `bar`: horizontal bars per row (categories); `line`: a series over `x` (quarters, years). */
  kind: 'bar' | 'line';
  /** The column whose values label the bars or the x axis. */
  x: string;
  /** One or more numeric columns, each a series. */
  y: string[];
}

export interface Dataset {
  /** URL segment and API name: lowercase words joined by '-', unique. */
  id: string;
  theme: Theme;
  title: Localized;
  description: Localized;
  columns: Column[];
  chart?: Chart;
  compute(db: Db): Row[];
}

/** Cells under this are suppressed where a column asks for it (issue 18: "any cell under 10"). */
export const SUPPRESS_BELOW = 10;
