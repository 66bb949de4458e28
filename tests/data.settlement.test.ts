/**
 * Open data (issue 18) over a real database: the settlement figures equal counts the test makes
 * itself from the cases it seeded through the settlement services; small cells are withheld with
 * no total beside them; the CSV and JSON parse back; figures are kept and recomputed by the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFigures, figuresOf, RECOMPUTE_MAX_MS, RECOMPUTE_MIN_MS, suppressRows, type Figures } from '../src/lib/data/figures';
import { datasetBody, datasetCsv } from '../src/lib/data/formats';
import { datasetById, datasets } from '../src/lib/data/registry';
import type { Dataset } from '../src/lib/data/types';
import { createApplication } from '../src/lib/settlement/service';
import { publicState } from '../src/lib/settlement/policy';
import { BIG, SMALL, seedCase, seedSettlementCases, settlementPeople, type Seeded } from './data.fixtures';
import { testDb } from './helpers/db';

const db = testDb();
let seeded: Seeded[];
beforeAll(() => {
  seeded = seedSettlementCases(db);
  createApplication(db, settlementPeople(db).applicant, BIG); // a draft: never counted
}, 120_000);
afterAll(() => db.cleanup());

const DAY = 86_400_000;
const stateOf = (s: Seeded) => publicState(s.ending === 'approved_asked' ? 'approved' : s.ending);
const count = (route: string, state: string) => seeded.filter((s) => s.route === route && stateOf(s) === state).length;
const byKey = (f: Figures, match: Record<string, string>) => {
  const i = f.rows.findIndex((r) => Object.entries(match).every(([k, v]) => r[k] === v));
  expect(i, JSON.stringify(match)).toBeGreaterThanOrEqual(0);
  return { row: f.rows[i]!, suppressed: f.suppressed[i]! };
};
const fresh = (id: string) => figuresOf(db, datasetById(id)!, Date.now() + 400 * DAY);

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

describe('settlement applications by route and state', () => {
  it('counts every submitted case by the state its applicant is told, withholding cells under 10', () => {
    const f = fresh('settlement-applications-by-state');
    let published = 0;
    let withheld = 0;
    for (const route of [BIG, SMALL]) {
      for (const state of ['submitted', 'accepted', 'incomplete', 'in_review', 'information_requested', 'awaiting_decision', 'approved', 'refused', 'withdrawn', 'lapsed']) {
        const expected = count(route, state);
        const { row, suppressed } = byKey(f, { route, state });
        if (expected >= 10) {
          expect(row.applications, `${route} ${state}`).toBe(expected);
          published++;
        } else {
          expect(row.applications, `${route} ${state}`).toBeNull();
          expect(suppressed.has('applications')).toBe(true);
          withheld++;
        }
      }
    }
    // both kinds exist, so the test shows the threshold at work
    expect(published).toBeGreaterThanOrEqual(5);
    expect(withheld).toBeGreaterThanOrEqual(5);
    expect(byKey(f, { route: BIG, state: 'approved' }).row.applications).toBe(12);
    expect(byKey(f, { route: BIG, state: 'submitted' }).row.applications).toBe(11);
  });

  it('never shows an internal recommendation or a draft, and publishes no totals', () => {
    const f = fresh('settlement-applications-by-state');
    expect(f.rows.some((r) => String(r.state).startsWith('recommended') || r.state === 'draft')).toBe(false);
    expect(Object.keys(f.rows[0]!).sort()).toEqual(['applications', 'route', 'state']);
    expect(f.rows.some((r) => r.route === 'total' || r.state === 'total' || r.route === null || r.state === null)).toBe(false);
  });
});

describe('median days to a decision', () => {
  it('is the median of each route’s decided cases, withheld under 10 decisions, and the count behind it is not published', () => {
    const f = fresh('settlement-decision-times');
    // the days the fixture chose for each decided case on the big route
    const days = [...Array.from({ length: 10 }, (_, i) => 5 + i), 30, 31, ...Array.from({ length: 10 }, (_, i) => 8 + 2 * i)].sort((a, b) => a - b);
    const expected = (days[10]! + days[11]!) / 2;
    expect(byKey(f, { route: BIG }).row.median_days).toBe(expected);
    const small = byKey(f, { route: SMALL });
    expect(small.row.median_days).toBeNull();
    expect(small.suppressed.has('median_days')).toBe(true);
    expect(Object.keys(small.row).sort()).toEqual(['median_days', 'route']);
  });
});

describe('approval, information-request and lapse rates', () => {
  it('equal the counts the test makes, and are withheld where any count they rest on is under 10', () => {
    const f = fresh('settlement-outcome-rates');
    const big = seeded.filter((s) => s.route === BIG);
    const closed = big.filter((s) => ['approved', 'refused', 'withdrawn', 'lapsed'].includes(stateOf(s)));
    const approved = big.filter((s) => stateOf(s) === 'approved').length;
    const refused = big.filter((s) => stateOf(s) === 'refused').length;
    const { row } = byKey(f, { route: BIG });
    expect(row.approval_rate).toBeCloseTo(approved / (approved + refused), 12);
    expect(row.information_request_rate).toBeCloseTo(closed.filter((s) => s.asked).length / closed.length, 12);
    expect(row.lapse_rate).toBeCloseTo(big.filter((s) => stateOf(s) === 'lapsed').length / closed.length, 12);
    const small = byKey(f, { route: SMALL });
    expect(small.row).toEqual({ route: SMALL, approval_rate: null, information_request_rate: null, lapse_rate: null });
    expect([...small.suppressed].sort()).toEqual(['approval_rate', 'information_request_rate', 'lapse_rate']);
  });
});

describe('downloads', () => {
  it('CSV: BOM, a header of column keys, every row as in the JSON, withheld cells "< 10"', () => {
    for (const f of allFigures(db, Date.now() + 400 * DAY)) {
      const csv = datasetCsv(f);
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = parseCsv(csv.slice(1));
      expect(header).toEqual(f.dataset.columns.map((c) => c.key));
      const body = JSON.parse(JSON.stringify(datasetBody(f)));
      expect(rows).toHaveLength(body.rows.length);
      rows.forEach((cells, i) =>
        cells.forEach((cell, j) => {
          const key = header![j]!;
          const value = body.rows[i][key];
          if (f.suppressed[i]!.has(key)) expect(cell).toBe('< 10');
          else if (value === null) expect(cell).toBe('');
          else if (typeof value === 'number') expect(Number(cell)).toBe(value);
          else expect(cell).toBe(value);
        }),
      );
    }
  });

  it('JSON: parses back with the threshold, the columns and only published keys', () => {
    const f = fresh('settlement-outcome-rates');
    const body = JSON.parse(JSON.stringify(datasetBody(f)));
    expect(body.suppression).toEqual({ threshold: 10 });
    expect(body.columns.map((c: { key: string }) => c.key)).toEqual(['route', 'approval_rate', 'information_request_rate', 'lapse_rate']);
    for (const r of body.rows) expect(Object.keys(r).sort()).toEqual(['approval_rate', 'information_request_rate', 'lapse_rate', 'route']);
  });

  it('CSV defuses formulas in text but leaves numbers (negative ones too) as numbers, quoting per RFC 4180', () => {
    const probe: Dataset = {
      id: 'probe',
      theme: 'talent',
      title: { 'zh-cn': '测试', en: 'Probe' },
      description: { 'zh-cn': '测试', en: 'Probe' },
      columns: [
        { key: 'name', type: 'string', label: { 'zh-cn': '名', en: 'Name' }, meaning: { 'zh-cn': '名', en: 'Name' } },
        { key: 'n', type: 'number', label: { 'zh-cn': '数', en: 'N' }, meaning: { 'zh-cn': '数', en: 'N' }, suppress: { by: 'basis' } },
      ],
      compute: () => [],
    };
    const raw = [
      { name: '=HYPERLINK("http://x")', n: -3, basis: 20 },
      { name: '+1', n: 2.5, basis: 10 },
      { name: '-1', n: 0, basis: 9 },
      { name: '@SUM(A1)', n: 7, basis: null },
      { name: 'a,"b"\nc', n: null, basis: 50 },
    ];
    const f: Figures = { dataset: probe, computedAt: new Date(), ...suppressRows(probe, raw) };
    const rows = parseCsv(datasetCsv(f).slice(1));
    expect(rows).toEqual([
      ['name', 'n'],
      ['\'=HYPERLINK("http://x")', '-3'],
      ["'+1", '2.5'],
      ["'-1", '< 10'],
      ["'@SUM(A1)", '< 10'],
      ['a,"b"\nc', ''],
    ]);
    expect(f.rows.every((r) => !('basis' in r))).toBe(true);
  });
});

describe('the recompute rule', () => {
  it('keeps figures under a minute after a write, recomputes after, and recomputes hourly regardless', () => {
    const d = datasetById('settlement-applications-by-state')!;
    const t = Date.now() + 800 * DAY;
    const first = figuresOf(db, d, t);
    const before = byKey(first, { route: BIG, state: 'submitted' }).row.applications as number;
    expect(figuresOf(db, d, t + 1)).toBe(first); // nothing changed
    seedCase(db, settlementPeople(db), BIG, 'submitted');
    expect(figuresOf(db, d, t + RECOMPUTE_MIN_MS - 1)).toBe(first); // changed, but under a minute old
    const after = figuresOf(db, d, t + RECOMPUTE_MIN_MS);
    expect(after).not.toBe(first);
    expect(byKey(after, { route: BIG, state: 'submitted' }).row.applications).toBe(before + 1);
    expect(after.computedAt.getTime()).toBe(t + RECOMPUTE_MIN_MS);
    expect(figuresOf(db, d, t + RECOMPUTE_MIN_MS + 5_000)).toBe(after); // unchanged since: kept
    expect(figuresOf(db, d, t + RECOMPUTE_MIN_MS + RECOMPUTE_MAX_MS)).not.toBe(after); // an hour on: recomputed anyway
    expect(RECOMPUTE_MIN_MS).toBe(60_000);
    expect(RECOMPUTE_MAX_MS).toBe(3_600_000);
  });

  it('covers every registered dataset', () => {
    expect(allFigures(db).map((f) => f.dataset.id)).toEqual(datasets.map((d) => d.id));
  });
});
