/** Citation formats against fixed expected text (and CSL-JSON parsed back). */
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { escapeBibtex, toBibtex, toCslJson, toRis, type CitationData } from '../src/lib/research/citation';
import { citationMetaTags } from '../src/lib/research/metadata';

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
    expect(escapeBibtex('50% & $5 #1 a_b {x} ^ ~ \\ <b>')).toBe(
      '50\\% \\& \\$5 \\#1 a\\_b {\\textbraceleft}x{\\textbraceright} {\\textasciicircum} {\\textasciitilde} {\\textbackslash} {\\textless}b{\\textgreater}',
    );
    expect(toBibtex(paper)).toBe(
      [
        '@techreport{finding7v2_2026,',
        '  title = {{跨境电商供应链金融：50\\% \\& more\\_{\\textbraceleft}x{\\textbraceright}}},',
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
    for (const title of ['}} @misc{evil, title={x', 'only { an opening brace', 'a closing } one']) {
      const bib = toBibtex({ ...paper, title, doi: '10.1/a}b' });
      // BibTeX counts every brace, escaped or not: `\\{` opens a group as far as it is concerned.
      let depth = 0;
      for (let i = 0; i < bib.length; i++) {
        if (bib[i] === '{') depth++;
        if (bib[i] === '}') depth--;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth, title).toBe(0);
      expect(bib.match(/^@/gm)).toHaveLength(1);
    }
  });
});

describe('BibTeX read back by a BibTeX parser', () => {
  // @retorquere/bibtex-parser is the parser of Better BibTeX for Zotero: it decodes TeX to Unicode
  // as BibTeX and biber typeset it (a bare `<` comes back as `¡`, as in the OT1 font encoding).
  const readBack = (title: string, publisher = 'P') => {
    const { entries, errors } = parseBibtex(toBibtex({ ...paper, title, publisher }));
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(1);
    return entries[0]!.fields as Record<string, unknown>;
  };

  it('gives back a title with < and > as written', () => {
    expect(readBack('Tariffs < 5% and > 10%').title).toBe('Tariffs < 5% and > 10%');
  });

  it('gives back every TeX special character as written, in braced and plain fields', () => {
    const text = 'a & b % c $ d # e _ f { g } h ~ i ^ j \\ k < l > m';
    const fields = readBack(text, text);
    expect(fields.title).toBe(text);
    expect(fields.institution).toEqual([text]);
    expect(readBack('only { an opening brace').title).toBe('only { an opening brace');
  });
});

describe('one publication date, Shanghai’s, in every format', () => {
  // 18:30 UTC on 1 March is 02:30 on 2 March in Shanghai.
  const late = new Date('2026-03-01T18:30:00Z');

  it('writes the same day in the citation meta tags as in BibTeX, RIS and CSL-JSON', () => {
    const view = { finding: { type: 'working_paper', publishedAt: late } } as never;
    const tags = Object.fromEntries(citationMetaTags({ ...paper, issued: late }, view).map((t) => [t.name, t.content]));
    expect(tags.citation_publication_date).toBe('2026/03/02');
    expect(tags.citation_online_date).toBe('2026/03/02');
    expect(toRis({ ...paper, issued: late })).toContain('DA  - 2026/03/02/');
    expect(toCslJson({ ...paper, issued: late })[0]!.issued).toEqual({ 'date-parts': [[2026, 3, 2]] });
    expect(toBibtex({ ...paper, issued: new Date('2026-12-31T16:00:00Z') })).toMatch(/year = \{2027\},\n {2}month = \{1\}/);
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
