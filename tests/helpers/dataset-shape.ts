/**
 * Open data (issue 18): checks that a theme's dataset definitions are well formed, and that the
 * rows a dataset computes fit its own columns. Shared by the theme tests (tests/data.*.test.ts).
 */
import { expect } from 'vitest';
import { datasets } from '../../src/lib/data/registry';
import type { Dataset, Localized, Row, Theme } from '../../src/lib/data/types';

const NUMERIC = new Set(['integer', 'number', 'rate', 'year']);

function expectBilingual(text: Localized, where: string) {
  expect(text['zh-cn'].trim(), `${where} (zh-cn)`).not.toBe('');
  expect(text.en.trim(), `${where} (en)`).not.toBe('');
  expect(/[\u4e00-\u9fff]/.test(text['zh-cn']), `${where} is in Chinese`).toBe(true);
}

/** Ids unique across the registry and shaped as URL segments; columns unique; every chart column exists and is numeric where plotted; both languages everywhere. */
export function expectWellFormed(theme: Dataset[], name: Theme) {
  const ids = datasets.map((d) => d.id);
  expect(new Set(ids).size, 'dataset ids are unique').toBe(ids.length);
  expect(theme.length).toBeGreaterThan(0);
  for (const d of theme) {
    expect(d.theme, d.id).toBe(name);
    expect(d.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expectBilingual(d.title, `${d.id} title`);
    expectBilingual(d.description, `${d.id} description`);
    const keys = d.columns.map((c) => c.key);
    expect(new Set(keys).size, `${d.id} column keys are unique`).toBe(keys.length);
    for (const c of d.columns) {
      expect(c.key, `${d.id} column key`).toMatch(/^[a-z][a-z0-9_]*$/);
      expectBilingual(c.label, `${d.id}.${c.key} label`);
      expectBilingual(c.meaning, `${d.id}.${c.key} meaning`);
      for (const [code, label] of Object.entries(c.codes ?? {})) expectBilingual(label, `${d.id}.${c.key} code ${code}`);
    }
    if (d.chart) {
      expect(keys, `${d.id} chart x`).toContain(d.chart.x);
      expect(d.chart.y.length, `${d.id} chart has a series`).toBeGreaterThan(0);
      for (const y of d.chart.y) {
        expect(keys, `${d.id} chart y`).toContain(y);
        expect(NUMERIC.has(d.columns.find((c) => c.key === y)!.type), `${d.id} chart y ${y} is numeric`).toBe(true);
      }
    }
  }
}

/** Every row (raw from `compute`, or as published) carries exactly the dataset's columns, each cell of its column's type; coded cells use a known code. */
export function expectRowsFit(d: Dataset, rows: Row[]) {
  const keys = d.columns.map((c) => c.key).sort();
  for (const row of rows) {
    expect(Object.keys(row).sort(), `${d.id} row keys`).toEqual(keys);
    for (const c of d.columns) {
      const v = row[c.key];
      if (v === null) {
        if (!c.suppress) expect(['rate', 'number', 'string'], `${d.id}.${c.key} may be null`).toContain(c.type);
        continue;
      }
      const where = `${d.id}.${c.key} = ${String(v)}`;
      if (c.type === 'integer' || c.type === 'year') expect(Number.isInteger(v), where).toBe(true);
      if (c.type === 'number') expect(typeof v, where).toBe('number');
      if (c.type === 'rate') expect(typeof v === 'number' && v >= 0 && v <= 1, where).toBe(true);
      if (c.type === 'quarter') expect(v, where).toMatch(/^\d{4}-Q[1-4]$/);
      if (c.type === 'date') expect(v, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (c.type === 'string') expect(typeof v, where).toBe('string');
      if (c.codes) expect(Object.keys(c.codes), where).toContain(v);
    }
  }
}
