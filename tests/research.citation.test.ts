/** Citation formats against fixed expected text (and CSL-JSON parsed back). */
import { describe, expect, it } from 'vitest';
import { escapeBibtex, toBibtex, toCslJson, toRis, type CitationData } from '../src/lib/research/citation';

const paper: CitationData = {
  findingId: 7,
  version: 2,
  type: 'working_paper',
  title: '跨境电商供应链金融：50% & more_{x}',
  authors: ['孙悦', 'Jane O’Neil'],
  issued: new Date('2026-03-01T18:30:00Z'), // 2 March in Shanghai
  publisher: 'Huangpu University of Commerce',
  doi: '10.5555/ABC.123',
  url: 'https://portal.example/en/research/findings/7?v=2',
  licence: 'CC-BY-4.0',
  keywords: ['跨境电商', 'finance'],
  language: 'zh-CN',
};

describe('BibTeX', () => {
  it('escapes TeX specials and keeps Chinese as UTF-8', () => {
    expect(escapeBibtex('50% & $5 #1 a_b {x} ^ ~ \\')).toBe('50\\% \\& \\$5 \\#1 a\\_b \\{x\\} \\^{} \\~{} \\textbackslash{}');
    expect(toBibtex(paper)).toBe(
      [
        '@techreport{finding7v2_2026,',
        '  title = {{跨境电商供应链金融：50\\% \\& more\\_\\{x\\}}},',
        '  author = {{孙悦} and {Jane O’Neil}},',
        '  year = {2026},',
        '  month = {3},',
        '  institution = {Huangpu University of Commerce},',
        '  type = {Working paper},',
        '  version = {2},',
        '  doi = {10.5555/ABC.123},',
        '  url = {https://portal.example/en/research/findings/7?v=2},',
        '  keywords = {跨境电商, finance},',
        '  language = {zh-CN},',
        '  note = {Licence: CC-BY-4.0}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps the braces balanced whatever the title contains', () => {
    const bib = toBibtex({ ...paper, title: '}} @misc{evil, title={x', doi: '10.1/a}b' });
    let depth = 0;
    for (let i = 0; i < bib.length; i++) {
      if (bib[i] === '\\') {
        i++;
        continue;
      }
      if (bib[i] === '{') depth++;
      if (bib[i] === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(bib.match(/^@/gm)).toHaveLength(1);
  });
});

describe('RIS', () => {
  it('writes one tag per line with CRLF and ends with ER', () => {
    expect(toRis({ ...paper, title: 'Line one\nline two' })).toBe(
      [
        'TY  - RPRT',
        'TI  - Line one line two',
        'AU  - 孙悦',
        'AU  - Jane O’Neil',
        'PY  - 2026',
        'DA  - 2026/03/02/',
        'PB  - Huangpu University of Commerce',
        'M3  - Working paper',
        'ET  - Version 2',
        'DO  - 10.5555/ABC.123',
        'UR  - https://portal.example/en/research/findings/7?v=2',
        'KW  - 跨境电商',
        'KW  - finance',
        'LA  - zh-CN',
        'N1  - Licence: CC-BY-4.0',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
});

describe('CSL-JSON', () => {
  it('parses back into the item a citation processor expects', () => {
    const [item] = JSON.parse(JSON.stringify(toCslJson({ ...paper, type: 'dataset' })));
    expect(item).toEqual({
      id: 'finding7v2_2026',
      type: 'dataset',
      title: paper.title,
      author: [{ literal: '孙悦' }, { literal: 'Jane O’Neil' }],
      issued: { 'date-parts': [[2026, 3, 2]] },
      publisher: 'Huangpu University of Commerce',
      version: '2',
      DOI: '10.5555/ABC.123',
      URL: paper.url,
      keyword: '跨境电商, finance',
      language: 'zh-CN',
      license: 'CC-BY-4.0',
    });
  });
});
