/** Reading a standard's indicator and band tables into scheme data. */
import { describe, expect, it } from 'vitest';
import { SEED_STANDARD_MD } from '../db/seed/standards';
import { parseScheme, readMinimum, readPoints, splitLabel } from '../src/lib/credit/parse';
import { translateError } from '../src/i18n/errors';

const doc = (indicatorRows: string, bandRows: string, extra = '') => `# A standard

## 4 Indicators

### 4.1 合规经营 Compliance

Text.

### 4.2 履约表现 Fulfilment

Text.
${extra}
## 5 Grades

### 5.1 等级 Grades

| Grade | Score |
|---|---|
${bandRows}

## 附录A Scoring

### A.1 权重 Weights

| Indicator | Weight |
|---|---|
${indicatorRows}
`;

const BANDS = '| AAA | ≥ 90 |\n| AA | 80–89 |\n| A | 70-79 |\n| B | 60 分以上 |\n| C | < 60 |';

describe('parseScheme', () => {
  it('reads the seeded SCBEA standard: weights from A.1 linked to clauses 4.1–4.3, bands from 5.1', () => {
    const result = parseScheme(SEED_STANDARD_MD, 'A.1', '5.1');
    expect(result).toEqual({
      ok: true,
      value: {
        indicators: [
          { key: 'i1', label: 'Compliance', labelZh: '合规经营', maxPoints: 40, clause: '4.1' },
          { key: 'i2', label: 'Fulfilment', labelZh: '履约表现', maxPoints: 35, clause: '4.2' },
          { key: 'i3', label: 'Consumer protection', labelZh: '消费者权益保护', maxPoints: 25, clause: '4.3' },
        ],
        bands: [
          { grade: 'AAA', minScore: 90 },
          { grade: 'AA', minScore: 80 },
          { grade: 'A', minScore: 70 },
          { grade: 'B', minScore: 60 },
          { grade: 'C', minScore: 0 },
        ],
      },
    });
  });

  it('accepts points written as 40, 40 分 and 40 points, and links an indicator no heading names to the indicator clause', () => {
    const result = parseScheme(doc('| 合规经营 Compliance | 40 |\n| 履约表现 Fulfilment | 35 分 |\n| Data security | 25 points |', BANDS), 'A.1', '5.1');
    expect(result.ok && result.value.indicators.map((i) => [i.label, i.maxPoints, i.clause])).toEqual([
      ['Compliance', 40, '4.1'],
      ['Fulfilment', 35, '4.2'],
      ['Data security', 25, 'A.1'],
    ]);
  });

  it('reads the ways band tables write a minimum', () => {
    expect(['≥ 90', '>= 90', '≥90分', '90–100', '90-100', '90 分以上', '90以上', '> 89', '90'].map(readMinimum)).toEqual(Array(9).fill(90));
    expect(['< 60', '<60', '60 分以下', '低于 60'].map(readMinimum)).toEqual([0, 0, 0, 0]);
    expect(readMinimum('excellent')).toBeNull();
    expect(['40', '40 分', '40%', '40 %'].map(readPoints)).toEqual([
      { value: 40, percent: false },
      { value: 40, percent: false },
      { value: 40, percent: true },
      { value: 40, percent: true },
    ]);
    expect(splitLabel('Compliance 合规经营')).toEqual({ label: 'Compliance', labelZh: '合规经营' });
  });

  it('takes the default grades, best first, from a table of scores alone', () => {
    const md = doc('| A | 60 |\n| B | 40 |', '').replace('| Grade | Score |\n|---|---|\n', '| Score |\n|---|\n| ≥ 90 |\n| 80–89 |\n| < 80 |');
    const result = parseScheme(md, 'A.1', '5.1');
    expect(result.ok && result.value.bands).toEqual([
      { grade: 'AAA', minScore: 90 },
      { grade: 'AA', minScore: 80 },
      { grade: 'A', minScore: 0 },
    ]);
  });

  it('says which row does not parse, for either table', () => {
    const badPoints = parseScheme(doc('| Compliance | 40 |\n| Fulfilment | forty |', BANDS), 'A.1', '5.1');
    expect(badPoints).toEqual({ ok: false, problems: { indicatorClause: [expect.stringMatching(/^Row 2 of the table in clause A\.1: .*“forty”/)] } });
    const zero = parseScheme(doc('| Compliance | 0 |', BANDS), 'A.1', '5.1');
    expect(!zero.ok && zero.problems.indicatorClause?.[0]).toMatch(/^Row 1 of the table in clause A\.1/);
    const badBand = parseScheme(doc('| Compliance | 100 |', '| AAA | ≥ 90 |\n| AA | good |'), 'A.1', '5.1');
    expect(badBand).toEqual({ ok: false, problems: { bandClause: [expect.stringMatching(/^Row 2 of the table in clause 5\.1 gives no minimum score .*“good”/)] } });
  });

  it('refuses bands out of order, repeated grades, weights not adding up to 100% and an unreachable best grade', () => {
    const order = parseScheme(doc('| Compliance | 100 |', '| AAA | ≥ 80 |\n| AA | 85–89 |'), 'A.1', '5.1');
    expect(!order.ok && order.problems.bandClause?.[0]).toMatch(/Row 2 .*must fall.*AA starts at 85 after AAA at 80/);
    const repeated = parseScheme(doc('| Compliance | 100 |', '| A | ≥ 80 |\n| A | < 80 |'), 'A.1', '5.1');
    expect(!repeated.ok && repeated.problems.bandClause?.[0]).toMatch(/repeats the grade A/);
    const weights = parseScheme(doc('| Compliance | 40% |\n| Fulfilment | 50 % |', BANDS), 'A.1', '5.1');
    expect(!weights.ok && weights.problems.indicatorClause).toEqual(['The weights in clause A.1 add up to 90%, not 100%.']);
    const mixed = parseScheme(doc('| Compliance | 40% |\n| Fulfilment | 60 |', BANDS), 'A.1', '5.1');
    expect(!mixed.ok && mixed.problems.indicatorClause?.[0]).toMatch(/mixes weights in per cent with points/);
    const unreachable = parseScheme(doc('| Compliance | 40 |\n| Fulfilment | 45 |', BANDS), 'A.1', '5.1');
    expect(!unreachable.ok && unreachable.problems.bandClause).toEqual(['The grade AAA needs 90 points, but the indicators give at most 85.']);
  });

  it('explains a clause without a table, a missing clause and the same clause twice', () => {
    const result = parseScheme(SEED_STANDARD_MD, '4.1', '9.9');
    expect(result).toEqual({
      ok: false,
      problems: {
        indicatorClause: ['Clause 4.1 has no table of indicators (indicator, maximum points or weight).'],
        bandClause: ['Clause 9.9 does not exist in the standard.'],
      },
    });
    const noBands = parseScheme(SEED_STANDARD_MD, 'A.1', 'A.2');
    expect(!noBands.ok && noBands.problems).toEqual({ bandClause: ['Clause A.2 has no table of grade bands (grade, minimum score).'] });
    const same = parseScheme(SEED_STANDARD_MD, 'A.1', 'A.1');
    expect(!same.ok && same.problems.bandClause).toEqual(['Choose a clause other than the indicator clause for the grade bands.']);
  });

  it('has every problem in Chinese too, naming the same row and clause', () => {
    const messages = [
      'Row 2 of the table in clause A.1: the points or weight must be a whole number greater than 0, like 40, 40 分 or 40%, not “forty”.',
      'Row 2 of the table in clause 5.1 gives no minimum score like ≥ 90, 80–89 or < 60: “good”.',
      'Row 3 of the table in clause 5.1 names no grade like AAA or B: “?”.',
      'Row 2 of the table in clause 5.1 repeats the grade A.',
      'Row 2 of the table in clause 5.1: minimum scores must fall from the best grade to the worst, but AA starts at 85 after AAA at 80.',
      'Row 4 of the table in clause A.1 names no indicator.',
      'Clause 4.1 has no table of indicators (indicator, maximum points or weight).',
      'Clause 4.1 has no table of grade bands (grade, minimum score).',
      'Clause 9.9 does not exist in the standard.',
      'Clause A.1 mixes weights in per cent with points; use one or the other.',
      'The weights in clause A.1 add up to 90%, not 100%.',
      'The grade AAA needs 90 points, but the indicators give at most 85.',
      'Clause 5.1 lists fewer than two grades.',
      'Clause 5.1 lists 6 scores without grades; name the grades in the table.',
      'Choose a clause other than the indicator clause for the grade bands.',
    ];
    for (const message of messages) {
      const zh = translateError('zh-cn', message, 'Check this field.');
      expect(zh, message).not.toBe(translateError('zh-cn', 'Check this field.'));
      expect(zh, message).toMatch(/[\u4e00-\u9fff]/);
      for (const token of message.match(/\b(?:[A-Z]\.\d+|\d+\.\d+|AAA|AA)\b/g) ?? []) expect(zh, message).toContain(token);
    }
  });
});
