/**
 * Open data (issue 18): every dataset of every theme, as published over the demo data, is well
 * formed and fits its own columns, whatever theme file it comes from (the theme tests check the
 * figures themselves).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seed } from '../db/seed';
import { figuresOf } from '../src/lib/data/figures';
import { datasets } from '../src/lib/data/registry';
import { THEMES } from '../src/lib/data/types';
import { expectRowsFit, expectWellFormed } from './helpers/dataset-shape';
import { testDb } from './helpers/db';

const db = testDb();
afterAll(() => db.cleanup());

describe('the dataset registry', () => {
  it('has datasets in every theme, each well formed', () => {
    for (const theme of THEMES) expectWellFormed(datasets.filter((d) => d.theme === theme), theme);
  });

  it('publishes rows that fit their columns over the demo data, withheld cells null', async () => {
    await seed(db);
    for (const d of datasets) {
      const { rows, suppressed } = figuresOf(db, d);
      expectRowsFit(d, rows);
      rows.forEach((row, i) => {
        for (const key of suppressed[i]!) expect(row[key], `${d.id} row ${i} ${key}`).toBeNull();
      });
    }
  });
});
