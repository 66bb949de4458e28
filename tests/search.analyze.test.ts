import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex, compounds, foldAndStem, isHan, runs } from '../src/lib/search/analyze';
import { markdownToText } from '../src/lib/markdown/render';

/** The analyzer as first written: every word run on its own, each Han run segmented by a call of its own. */
let jieba: Jieba | undefined;
function perRun(text: string): string[] {
  jieba ??= Jieba.withDict(dict);
  const terms: string[] = [];
  const normalized = text.normalize('NFKC');
  const tokens = runs(normalized);
  for (const r of [...tokens, ...compounds(normalized, tokens)]) {
    if (r.han) for (const t of jieba.cutForSearch(r.text, true)) { if (isHan(t)) terms.push(t); }
    else {
      const [f, s] = foldAndStem(r.text);
      terms.push(s, f);
    }
  }
  return terms;
}

const TEXTS = [
  'Cross-border e-commerce sellers ship parcels; cross‐border (U+2010) and a–b (en dash) are compounds, a—b (em dash) is not.',
  '跨境电商平台的卖家通过海外仓配送包裹。电子商务 Electronic commerce 电子商务平台，中华人民共和国海关总署。',
  '中〇国々人⺀ 𠀀𠀁字 上海-浦东 x-中 中-x 2024-01-02 über-größe Café naïve Ｅ－ｃｏｍｍｅｒｃｅ ﬁnance',
  markdownToText(
    Array.from({ length: 40 }, (_, i) => `## ${i} 数据合规 Data compliance\n\n跨境电商卖家${i}需要报关退税。 Sellers need **customs clearance** and duty-rebate filings; see [the report](https://example.org/${i}).\n\n| 指标 Indicator | ${2024 + (i % 3)} |\n|---|---|\n| 出口 export | ${i}.5 |`).join('\n\n'),
  ),
];

describe('index analysis', () => {
  it('writes each term once, the same terms as analyzing every word run on its own', () => {
    for (const text of TEXTS) {
      const terms = analyzeForIndex(text).split(' ');
      expect(new Set(terms).size).toBe(terms.length);
      expect(new Set(terms)).toEqual(new Set(perRun(text)));
    }
    // compounds and stems are there; a Han run is segmented on its own, never across a line or a Latin word
    const terms = new Set(analyzeForIndex(TEXTS[0]).split(' '));
    for (const t of ['crossbord', 'crossborder', 'ecommerc', 'ecommerce', 'ab', 'seller', 'sellers']) expect(terms).toContain(t);
    expect(new Set(analyzeForIndex('上海 浦东').split(' '))).not.toContain('上海浦东');
    expect(analyzeForIndex('')).toBe('');
    expect(analyzeForIndex(null)).toBe('');
  });
});
