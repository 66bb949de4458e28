/** Checks shared by the open-data theme tests (issue 18). */
import { expect } from 'vitest';
import type { Db } from '../../db/client';
import { datasetById, datasets } from '../../src/lib/data/registry';
import type { Dataset } from '../../src/lib/data/types';

/** What every dataset definition must satisfy for the runtime to render it. */
export function expectWellFormed(list: Dataset[], theme: string, db: Db) {
  const ids = datasets.map((d) => d.id);
  expect(new Set(ids).size, 'dataset ids are unique across every theme').toBe(ids.length);
  for (const d of list) {
    expect(d.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(d.theme).toBe(theme);
    expect(datasetById(d.id)).toBe(d);
    for (const text of [d.title, d.description]) expect(text['zh-cn'] && text.en, d.id).toBeTruthy();
    const keys = d.columns.map((c) => c.key);
    expect(new Set(keys).size, d.id).toBe(keys.length);
    for (const c of d.columns) {
      expect(c.label['zh-cn'] && c.label.en && c.meaning['zh-cn'] && c.meaning.en, `${d.id}.${c.key}`).toBeTruthy();
      for (const [code, label] of Object.entries(c.codes ?? {})) expect(label['zh-cn'] && label.en, `${d.id}.${c.key}.${code}`).toBeTruthy();
    }
    if (d.chart) {
      expect(keys, d.id).toContain(d.chart.x);
      expect(d.chart.y.length).toBeGreaterThan(0);
      for (const y of d.chart.y) {
        expect(keys, d.id).toContain(y);
        expect(['integer', 'number', 'rate']).toContain(d.columns.find((c) => c.key === y)!.type);
      }
    }
    for (const row of d.compute(db)) {
      expect(Object.keys(row).sort(), d.id).toEqual([...keys].sort());
      for (const c of d.columns) {
        const v = row[c.key];
        if (v === null) continue;
        if (c.type === 'integer' || c.type === 'year') expect(Number.isInteger(v), `${d.id}.${c.key}`).toBe(true);
        if (c.type === 'rate') expect((v as number) >= 0 && (v as number) <= 1, `${d.id}.${c.key}`).toBe(true);
        if (c.type === 'quarter') expect(v).toMatch(/^\d{4}-Q[1-4]$/);
        if (c.codes) expect(Object.keys(c.codes), `${d.id}.${c.key}`).toContain(v);
      }
    }
  }
}
