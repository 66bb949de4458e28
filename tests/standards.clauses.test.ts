import { describe, expect, it } from 'vitest';
import { ballotOutcome, DEFAULT_RULES } from '../src/lib/standards/ballot';
import { clauseHeading, parseClauses } from '../src/lib/standards/clauses';
import { clauseFate, clauseFates, diffVersions, similarity } from '../src/lib/standards/diff';
import { DRAFT_MD } from './standards-fixture';

describe('clause parsing', () => {
  it('numbered headings, annexes and the preamble become clauses in order', () => {
    const clauses = parseClauses(DRAFT_MD);
    expect(clauses.map((c) => c.id)).toEqual(['0', '1', '2', '4', '4.1', '4.2', 'A', 'A.1']);
    expect(clauses.find((c) => c.id === '4.2')).toMatchObject({ title: '信用等级 Credit grades', depth: 2 });
    expect(clauses.find((c) => c.id === 'A')!.title).toBe('评分方法 Scoring method');
    expect(clauses.find((c) => c.id === 'A.1')!.depth).toBe(2);
  });

  it('a table belongs to the clause it sits in, cell by cell', () => {
    const c = parseClauses(DRAFT_MD).find((x) => x.id === '4.2')!;
    expect(c.tables).toHaveLength(1);
    expect(c.tables[0]![0]).toEqual(['等级 Grade', '分数 Score', '说明 Meaning']);
    expect(c.tables[0]![1]).toEqual(['AAA', '≥ 90', '信用优秀 Excellent']);
    expect(parseClauses(DRAFT_MD).find((x) => x.id === '4.1')!.tables).toHaveLength(0);
  });

  it('recognises heading forms and ignores ordinary headings and code fences', () => {
    expect(clauseHeading('4.2.1 Sub')).toEqual({ id: '4.2.1', title: 'Sub' });
    expect(clauseHeading('5. Tests')).toEqual({ id: '5', title: 'Tests' });
    expect(clauseHeading('附录 B （规范性） 数据')).toMatchObject({ id: 'B' });
    expect(clauseHeading('Annex C Bibliography')).toEqual({ id: 'C', title: 'Bibliography' });
    expect(clauseHeading('B.2.3 Thresholds')).toEqual({ id: 'B.2.3', title: 'Thresholds' });
    expect(clauseHeading('Foreword')).toBeNull();
    expect(clauseHeading('2026 in review')).toMatchObject({ id: '2026' }); // a number is a number
    const md = '## 1 Scope\n\n### Notes\n\ntext\n\n```\n## 9 not a clause\n```\n\n## 2 Terms\n\n| a | b\\|c |\n|---|---|\n| 1 | 2 |';
    const clauses = parseClauses(md);
    expect(clauses.map((c) => c.id)).toEqual(['1', '2']);
    expect(clauses[0]!.body).toContain('### Notes');
    expect(clauses[1]!.tables[0]).toEqual([['a', 'b|c'], ['1', '2']]);
  });

  it('a repeated number gets a suffix instead of hiding a clause', () => {
    expect(parseClauses('## 1 A\n\nx\n\n## 1 B\n\ny').map((c) => c.id)).toEqual(['1', '1~2']);
  });
});

describe('clause-by-clause diff', () => {
  const v2 = DRAFT_MD.replace('| AAA | ≥ 90 |', '| AAA | ≥ 92 |')
    .replace('On-time delivery rate is measured over 12 months.', 'On-time delivery rate is measured over 24 months.')
    .replace('## 2 规范性引用文件 Normative references\n\nGB/T 22117 信用 基本术语。\n\n', '')
    .replace('## 4 评价指标 Indicators', '## 3 术语 Terms\n\n信用等级：对卖家信用状况的分级。\n\n## 4 评价指标 Indicators')
    .replace('| A | 70–79 | 信用较好 Fair |', '| A | 70–79 | 信用较好 Fair |\n| B | 60–69 | 信用一般 Basic |')
    .replace('### A.1 权重 Weights\n\nFulfilment weighs 40 percent.', '### A.2 权重 Weights\n\nFulfilment weighs 40 percent.');

  it('reports added, removed, moved, changed and unchanged clauses', () => {
    const d = diffVersions(DRAFT_MD, v2);
    const by = (id: string) => d.find((c) => c.id === id)!;
    expect(by('3').status).toBe('added');
    expect(by('2').status).toBe('removed');
    expect(by('1').status).toBe('unchanged');
    expect(by('A.2')).toMatchObject({ status: 'moved', fromId: 'A.1', contentChanged: false });
    expect(by('4.1').status).toBe('changed');
    expect(by('4.1').words.filter((w) => w.removed).map((w) => w.value.trim())).toEqual(['12']);
    expect(by('4.1').words.filter((w) => w.added).map((w) => w.value.trim())).toEqual(['24']);
    // removed clause 2 is shown where it stood: after 1
    expect(d.map((c) => c.id).indexOf('2')).toBe(d.map((c) => c.id).indexOf('1') + 1);
  });

  it('compares tables cell by cell', () => {
    const t = diffVersions(DRAFT_MD, v2).find((c) => c.id === '4.2')!;
    expect(t.status).toBe('changed');
    const rows = t.tables[0]!.rows;
    const aaa = rows.find((r) => r.cells[0]!.new === 'AAA')!;
    expect(aaa.status).toBe('changed');
    expect(aaa.cells.map((c) => c.status)).toEqual(['same', 'changed', 'same']);
    expect(aaa.cells[1]).toMatchObject({ old: '≥ 90', new: '≥ 92' });
    expect(rows.find((r) => r.cells[0]!.new === 'B')!.status).toBe('added');
    expect(rows.find((r) => r.cells[0]!.new === 'AA')!.status).toBe('same');
  });

  it('Chinese prose is diffed by words, not whole lines', () => {
    const a = '## 1 范围\n\n本文件规定了跨境电商卖家信用等级评价的指标。';
    const b = '## 1 范围\n\n本文件规定了跨境电商平台卖家信用等级评价的指标。';
    const w = diffVersions(a, b)[0]!.words;
    expect(w.filter((p) => p.added).map((p) => p.value)).toEqual(['平台']);
    expect(w.some((p) => p.removed)).toBe(false);
  });

  it('tells a carried-forward comment what happened to its clause', () => {
    expect(clauseFate(DRAFT_MD, v2, '1')).toEqual({ status: 'unchanged', clause: '1', moved: false, changed: false });
    expect(clauseFate(DRAFT_MD, v2, '4.2')).toEqual({ status: 'changed', clause: '4.2', moved: false, changed: true });
    expect(clauseFate(DRAFT_MD, v2, '2')).toEqual({ status: 'removed', moved: false, changed: false });
    expect(clauseFate(DRAFT_MD, v2, 'A.1')).toEqual({ status: 'moved', clause: 'A.2', moved: true, changed: false });
  });
});

describe('ballot arithmetic (quorum 2/3 of eligible; pass 3/4 of votes cast; abstentions count for quorum only)', () => {
  it('exactly three quarters passes; one approval less fails', () => {
    expect(ballotOutcome({ eligible: 8, approve: 6, disapprove: 2, abstain: 0 }).passes).toBe(true);
    const less = ballotOutcome({ eligible: 8, approve: 5, disapprove: 2, abstain: 1 });
    expect(less).toMatchObject({ quorumMet: true, thresholdMet: false, passes: false, approvalsNeeded: 6 });
  });

  it('abstentions reach the quorum but are not votes cast', () => {
    const o = ballotOutcome({ eligible: 6, approve: 3, disapprove: 1, abstain: 2 });
    expect(o).toMatchObject({ turnout: 6, cast: 4, quorumMet: true, thresholdMet: true, passes: true });
    expect(ballotOutcome({ eligible: 6, approve: 0, disapprove: 0, abstain: 6 }).passes).toBe(false);
  });

  it('quorum is two thirds of eligible voters, rounded up', () => {
    expect(ballotOutcome({ eligible: 9, approve: 5, disapprove: 0, abstain: 0 })).toMatchObject({ quorumNeeded: 6, quorumMet: false, thresholdMet: true, passes: false });
    expect(ballotOutcome({ eligible: 9, approve: 6, disapprove: 0, abstain: 0 }).passes).toBe(true);
    expect(ballotOutcome({ eligible: 2, approve: 1, disapprove: 0, abstain: 0 })).toMatchObject({ quorumNeeded: 2, quorumMet: false });
    expect(ballotOutcome({ eligible: 0, approve: 0, disapprove: 0, abstain: 0 }).quorumMet).toBe(false);
  });

  it('rules are configurable per body', () => {
    const simple = { quorumNumerator: 1, quorumDenominator: 2, passNumerator: 1, passDenominator: 2 };
    expect(ballotOutcome({ eligible: 4, approve: 1, disapprove: 1, abstain: 0 }, simple).passes).toBe(true);
    expect(ballotOutcome({ eligible: 4, approve: 1, disapprove: 1, abstain: 0 }, DEFAULT_RULES).passes).toBe(false);
  });
});

describe('carrying comments forward: content first, number second', () => {
  const V1 = `## 4 指标 Indicators

### 4.1 履约 Fulfilment

On-time delivery rate is measured over 12 months of orders shipped from bonded warehouses.

### 4.2 退货 Returns

Return handling is judged by the share of returns refunded within 7 days of receipt.

### 4.3 投诉 Complaints

Complaints are counted per thousand orders and weighed by their severity.
`;
  const fates = (v2: string) => Object.fromEntries(clauseFates(V1, v2));

  it('a clause inserted before others renumbers them: their comments follow their text, unchanged', () => {
    const v2 = V1.replace('### 4.2 退货 Returns', '### 4.2 物流 Logistics\n\nParcels are tracked from the warehouse to the buyer’s door.\n\n### 4.3 退货 Returns').replace(
      '### 4.3 投诉 Complaints',
      '### 4.4 投诉 Complaints',
    );
    expect(fates(v2)).toEqual({
      '4': { status: 'unchanged', clause: '4', moved: false, changed: false },
      '4.1': { status: 'unchanged', clause: '4.1', moved: false, changed: false },
      '4.2': { status: 'moved', clause: '4.3', moved: true, changed: false },
      '4.3': { status: 'moved', clause: '4.4', moved: true, changed: false },
    });
    const d = diffVersions(V1, v2);
    expect(d.find((c) => c.id === '4.2')).toMatchObject({ status: 'added' });
    expect(d.find((c) => c.id === '4.3')).toMatchObject({ status: 'moved', fromId: '4.2', contentChanged: false });
  });

  it('a clause moved elsewhere is moved; an edited clause that kept its number is changed', () => {
    const moved = V1.replace('### 4.3 投诉 Complaints\n\nComplaints are counted per thousand orders and weighed by their severity.\n', '').replace(
      '## 4 指标 Indicators',
      '## 3 投诉 Complaints\n\nComplaints are counted per thousand orders and weighed by their severity.\n\n## 4 指标 Indicators',
    );
    expect(fates(moved)['4.3']).toEqual({ status: 'moved', clause: '3', moved: true, changed: false });
    const edited = V1.replace('within 7 days', 'within 5 days');
    expect(fates(edited)['4.2']).toEqual({ status: 'changed', clause: '4.2', moved: false, changed: true });
    expect(fates(edited)['4.3']).toEqual({ status: 'unchanged', clause: '4.3', moved: false, changed: false });
  });

  it('a clause renumbered and edited is flagged both moved and changed', () => {
    const v2 = V1.replace('### 4.2 退货 Returns', '### 4.2 物流 Logistics\n\nParcels are tracked from the warehouse to the buyer’s door.\n\n### 4.3 退货 Returns')
      .replace('### 4.3 投诉 Complaints', '### 4.4 投诉 Complaints')
      .replace('within 7 days', 'within 5 days');
    expect(fates(v2)['4.2']).toEqual({ status: 'moved', clause: '4.3', moved: true, changed: true });
    expect(fates(v2)['4.3']).toEqual({ status: 'moved', clause: '4.4', moved: true, changed: false });
  });

  it('a deleted clause is removed, and the clause renumbered into its place is not mistaken for it', () => {
    const v2 = V1.replace('### 4.2 退货 Returns\n\nReturn handling is judged by the share of returns refunded within 7 days of receipt.\n\n', '').replace(
      '### 4.3 投诉 Complaints',
      '### 4.2 投诉 Complaints',
    );
    expect(fates(v2)['4.2']).toEqual({ status: 'removed', moved: false, changed: false });
    expect(fates(v2)['4.3']).toEqual({ status: 'moved', clause: '4.2', moved: true, changed: false });
    // replaced by an unrelated clause under the same number: removed, not "changed"
    const replaced = V1.replace('Return handling is judged by the share of returns refunded within 7 days of receipt.', 'Sellers publish their customs broker and bonded warehouse licences.').replace('### 4.2 退货 Returns', '### 4.2 资质 Licences');
    expect(fates(replaced)['4.2']).toEqual({ status: 'removed', moved: false, changed: false });
  });

  it('similarity follows the words kept in order', () => {
    const [a, b] = parseClauses('## 1 X\n\none two three four\n\n## 2 Y\n\nfour three two one');
    expect(similarity(a!, a!)).toBe(1);
    expect(similarity(a!, b!)).toBeLessThan(0.5);
  });
});
