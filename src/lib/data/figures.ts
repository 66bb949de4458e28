/**
 * A dataset's published figures: its `compute` run, kept, and suppressed (issue 18).
 *
 * Recompute rule ("recomputed when the data they rest on change, or at most hourly"): figures are
 * computed lazily, on the first request that wants them, and kept with the time they were
 * computed. A later request recomputes them when
 * - the database has changed since (`databaseGeneration`: any write by any connection) and the
 *   kept figures are at least RECOMPUTE_MIN_MS old (one minute; DATA_RECOMPUTE_MIN_MS for tests),
 *   so constant writes cost one recomputation a minute per dataset, not one per request; or
 * - the kept figures are an hour old (RECOMPUTE_MAX_MS), whatever happened, so figures that
 *   depend on the clock (reviews falling due, cases lapsing) are never more than an hour behind.
 * Each process keeps its own figures; they are aggregates of tens of rows, cheap to hold.
 *
 * Suppression: a cell whose column has `suppress` is withheld when the count in the row's `by` key
 * (the column itself by default) is under SUPPRESS_BELOW. Withheld cells are null in the rows and
 * listed in `suppressed`, so CSV and pages show "< 10" and JSON shows null. Only declared columns
 * are published; other computed keys serve suppression alone.
 */
import type { Db } from '@db/client';
import { databaseGeneration } from '~/lib/http/page-cache';
import { datasetById, datasets } from './registry';
import { SUPPRESS_BELOW, type Dataset, type Row } from './types';

export const RECOMPUTE_MIN_MS = Number(process.env.DATA_RECOMPUTE_MIN_MS ?? 60_000);
export const RECOMPUTE_MAX_MS = 3_600_000;

export interface Figures {
  dataset: Dataset;
  computedAt: Date;
  /** Published rows: declared columns only, withheld cells null. */
  rows: Row[];
  /** For each row, the keys of its withheld cells ("< 10"), as opposed to cells with no value. */
  suppressed: ReadonlySet<string>[];
}

interface Kept {
  figures: Figures;
  generation: string;
}

const kept = new Map<string, Kept>();

/** Whether a cell under `suppress` is withheld: its count is missing, not a number, or under the threshold. */
const isSmall = (count: unknown) => typeof count !== 'number' || count < SUPPRESS_BELOW;

/** The rows as published: declared columns only, small cells withheld. */
export function suppressRows(dataset: Dataset, raw: Row[]): Pick<Figures, 'rows' | 'suppressed'> {
  const rows: Row[] = [];
  const suppressed: Set<string>[] = [];
  for (const r of raw) {
    const row: Row = {};
    const withheld = new Set<string>();
    for (const c of dataset.columns) {
      if (c.suppress && isSmall(r[c.suppress.by ?? c.key])) {
        row[c.key] = null;
        withheld.add(c.key);
      } else row[c.key] = r[c.key] ?? null;
    }
    rows.push(row);
    suppressed.push(withheld);
  }
  return { rows, suppressed };
}

/** The dataset's figures, computed now or kept from earlier under the recompute rule above. */
export function figuresOf(db: Db, dataset: Dataset, now = Date.now()): Figures {
  const generation = databaseGeneration(db);
  const old = kept.get(dataset.id);
  if (old) {
    const age = now - old.figures.computedAt.getTime();
    const stale = age >= RECOMPUTE_MAX_MS || (old.generation !== generation && age >= RECOMPUTE_MIN_MS);
    if (!stale) return old.figures;
  }
  const figures: Figures = { dataset, computedAt: new Date(now), ...suppressRows(dataset, dataset.compute(db)) };
  kept.set(dataset.id, { figures, generation });
  return figures;
}

/** Figures by dataset id; undefined for an id no dataset has. */
export function figuresById(db: Db, id: string, now = Date.now()): Figures | undefined {
  const dataset = datasetById(id);
  return dataset && figuresOf(db, dataset, now);
}

/** Every dataset's figures, in the registry's order. */
export const allFigures = (db: Db, now = Date.now()): Figures[] => datasets.map((d) => figuresOf(db, d, now));

/** When the oldest of these figures was computed: what a page showing them all can promise. */
export const computedAtOf = (figures: Figures[]): Date | null =>
  figures.length ? new Date(Math.min(...figures.map((f) => f.computedAt.getTime()))) : null;
