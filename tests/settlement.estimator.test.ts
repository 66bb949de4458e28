import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSettlement } from '../db/seed/settlement';
import { estimate, listRules, updateRule } from '../src/lib/settlement/service';
import { estimateInput } from '../src/lib/settlement/schemas';
import { testDb } from './helpers/db';

const db = testDb();
beforeAll(() => seedSettlement(db));
afterAll(() => db.cleanup());

const base = { age: 30, education: 'bachelor', title: 'none', socialInsuranceBase: 1, socialInsuranceYears: 0 };
const points = (input: Record<string, unknown>) => {
  const result = estimate(db, estimateInput.parse({ ...base, ...input }));
  const byIndicator = Object.fromEntries(result.lines.map((l) => [l.indicator, l.points])) as Record<string, number>;
  return { ...byIndicator, total: result.total, result } as Record<string, number> & { total: number; result: typeof result };
};

describe('points estimator: age bands', () => {
  it.each([
    [16, 30],
    [43, 30],
    [44, 29],
    [45, 27],
    [55, 7],
    [56, 5],
    [60, 5],
    [61, 0],
  ])('age %i gives %i points', (age, expected) => {
    expect(points({ age }).age).toBe(expected);
  });
});

describe('points estimator: education and title', () => {
  it.each([
    ['college', 50],
    ['bachelor_no_degree', 60],
    ['bachelor', 90],
    ['master', 100],
    ['doctorate', 110],
  ])('%s gives %i points', (education, expected) => {
    expect(points({ education }).education).toBe(expected);
  });

  it.each([
    ['none', 0],
    ['level4', 15],
    ['level3', 60],
    ['intermediate', 100],
    ['senior', 140],
  ])('title %s gives %i points', (title, expected) => {
    expect(points({ title }).title).toBe(expected);
  });
});

describe('points estimator: social insurance and entrepreneurship', () => {
  it('counts 3 points per full year only', () => {
    expect(points({ socialInsuranceYears: 0.99 }).social_insurance_years).toBe(0);
    expect(points({ socialInsuranceYears: 1 }).social_insurance_years).toBe(3);
    expect(points({ socialInsuranceYears: 6.5 }).social_insurance_years).toBe(18);
  });

  it('gives the base bonus from exactly 2× and 3× the average wage, and only after 3 years', () => {
    expect(points({ socialInsuranceBase: 1.99, socialInsuranceYears: 3 }).social_insurance_base).toBe(0);
    expect(points({ socialInsuranceBase: 2, socialInsuranceYears: 3 }).social_insurance_base).toBe(100);
    expect(points({ socialInsuranceBase: 2.99, socialInsuranceYears: 3 }).social_insurance_base).toBe(100);
    expect(points({ socialInsuranceBase: 3, socialInsuranceYears: 3 }).social_insurance_base).toBe(120);
    expect(points({ socialInsuranceBase: 3, socialInsuranceYears: 2.9 }).social_insurance_base).toBe(0);
  });

  it('counts the better of tax and hiring, per full step, capped at 100', () => {
    expect(points({ annualTax: 9.9 }).entrepreneurship).toBe(0);
    expect(points({ annualTax: 10 }).entrepreneurship).toBe(10);
    expect(points({ annualTax: 29, localEmployees: 30 }).entrepreneurship).toBe(30);
    expect(points({ annualTax: 100 }).entrepreneurship).toBe(100);
    expect(points({ annualTax: 500 }).entrepreneurship).toBe(100);
  });
});

describe('points estimator: total and what would change it', () => {
  it('adds the indicators and compares with 120', () => {
    const below = points({ age: 30, education: 'bachelor', socialInsuranceYears: 0 });
    expect(below.total).toBe(120); // 30 + 90
    expect(below.result.meetsStandard).toBe(true);
    const short = points({ age: 50, education: 'bachelor', socialInsuranceYears: 2 });
    expect(short.total).toBe(17 + 90 + 6);
    expect(short.result.meetsStandard).toBe(false);
    expect(short.result.shortfall).toBe(7);
  });

  it('suggests concrete changes but never getting younger', () => {
    const { result } = points({ age: 50, education: 'bachelor', socialInsuranceYears: 2 });
    const byIndicator = Object.fromEntries(result.changes.map((c) => [c.indicator, c]));
    expect(byIndicator.age).toBeUndefined();
    expect(byIndicator.education).toMatchObject({ gain: 10 });
    expect(byIndicator.title).toMatchObject({ gain: 15 });
    expect(byIndicator.social_insurance_years).toMatchObject({ gain: 3, moreUnits: 1 });
  });

  it('every rule shows an as-of date and a source link', () => {
    for (const rule of listRules(db)) {
      expect(rule.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(rule.sourceUrl).toMatch(/^https:\/\//);
    }
    const line = points({}).result.lines.find((l) => l.indicator === 'education')!;
    expect(line.rule).toMatchObject({ asOf: expect.any(String), sourceUrl: expect.any(String), illustrative: true });
  });

  it('follows an edited rule without a release', () => {
    const master = listRules(db).find((r) => r.indicator === 'education' && r.match === 'master')!;
    const admin = { id: 'admin', email: 'a@x', displayName: 'A', locale: 'en', roles: ['admin' as const] };
    db.$client.prepare("insert into users (id, email, display_name, password_hash, created_at) values ('admin','a@x','A','x',0)").run();
    updateRule(db, admin, master.id, { points: 105 });
    expect(points({ education: 'master' }).education).toBe(105);
  });
});
