/**
 * The charts' geometry (issue 18) for any dataset: bars sized by d3's linear scale with withheld
 * values drawn as "< 10" and no bar, labels from the column's codes in the page's language and
 * cut to the chart's width, lines broken where a value is missing.
 */
import { describe, expect, it } from 'vitest';
import { barLayout, fitText, lineLayout, textWidth, WIDTH } from '../src/lib/data/chart';
import { suppressRows, type Figures } from '../src/lib/data/figures';
import type { Dataset, Row } from '../src/lib/data/types';

const label = (en: string) => ({ 'zh-cn': `中${en}`, en });

function figures(chart: Dataset['chart'], raw: Row[]): Figures {
  const dataset: Dataset = {
    id: 'probe',
    theme: 'talent',
    title: label('Probe'),
    description: label('Probe'),
    columns: [
      { key: 'mode', type: 'string', label: label('Mode'), meaning: label('Mode'), codes: { online: { 'zh-cn': '线上', en: 'Online' }, onsite: { 'zh-cn': '线下', en: 'On site' } } },
      { key: 'quarter', type: 'quarter', label: label('Quarter'), meaning: label('Quarter') },
      { key: 'seats', type: 'integer', label: label('Seats'), meaning: label('Seats'), suppress: {} },
      { key: 'filled', type: 'rate', label: label('Filled'), meaning: label('Filled') },
    ],
    chart,
    compute: () => raw,
  };
  return { dataset, computedAt: new Date(), ...suppressRows(dataset, raw) };
}

describe('bar layout', () => {
  it('scales bars to the largest value, labels rows by their codes in the page language, and draws no bar for a withheld value', () => {
    const f = figures({ kind: 'bar', x: 'quarter', y: ['seats'] }, [
      { mode: 'online', quarter: '2026-Q1', seats: 40, filled: 0.5 },
      { mode: 'onsite', quarter: '2026-Q1', seats: 20, filled: 0.25 },
      { mode: 'onsite', quarter: '2026-Q2', seats: 3, filled: null },
    ]);
    const en = barLayout(f, 'en');
    expect(en.groups.map((g) => g.label)).toEqual(['Online · 2026-Q1', 'On site · 2026-Q1', 'On site · 2026-Q2']);
    expect(barLayout(f, 'zh-cn').groups[0]!.label).toBe('线上 · 2026-Q1');
    const [a, b, c] = en.groups.map((g) => g.bars[0]!);
    expect(a!.width).toBeCloseTo(2 * b!.width, 6);
    expect(a!.width).toBeLessThanOrEqual(WIDTH);
    expect(c).toMatchObject({ width: 0, text: '< 10' });
    expect(a!.text).toBe('40');
    expect(en.legend).toEqual([]); // one series: the title says what it is
  });

  it('cuts long labels to the chart’s width with an ellipsis and keeps the full text', () => {
    const long = '跨境电子商务海外仓储物流与供应链管理高级研修班'.repeat(3);
    const cut = fitText(long, WIDTH, 13);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 13)).toBeLessThanOrEqual(WIDTH);
    expect(fitText('Short', WIDTH, 13)).toBe('Short');
  });
});

describe('line layout', () => {
  it('draws one path per series over the x column in row order, broken where a value is withheld', () => {
    const f = figures({ kind: 'line', x: 'quarter', y: ['seats', 'filled'] }, [
      { mode: 'online', quarter: '2026-Q1', seats: 40, filled: 0.5 },
      { mode: 'online', quarter: '2026-Q2', seats: 5, filled: 0.6 },
      { mode: 'online', quarter: '2026-Q3', seats: 30, filled: 0.7 },
      { mode: 'online', quarter: '2026-Q4', seats: 35, filled: 0.8 },
    ]);
    const l = lineLayout(f, 'en');
    expect(l.paths).toHaveLength(2);
    const [seats, filled] = l.paths;
    expect(seats!.d.match(/M/g)).toHaveLength(2); // a gap at the withheld Q2
    expect(seats!.points).toHaveLength(3);
    expect(filled!.d.match(/M/g)).toHaveLength(1);
    expect(l.xTicks.map((t) => t.text)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const xs = l.xTicks.map((t) => t.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(Math.max(...xs)).toBeLessThanOrEqual(WIDTH);
    // higher values are drawn higher (smaller y)
    expect(seats!.points[0]!.y).toBeLessThan(seats!.points[1]!.y);
    expect(l.legend.map((g) => g.series.label)).toEqual(['Seats', 'Filled']);
  });
});
