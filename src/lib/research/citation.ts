/**
 * Citations of one published version of a finding, in BibTeX, RIS and CSL-JSON. Authors are the
 * project's people in their listed order; names are kept whole (BibTeX braces, CSL `literal`)
 * because Chinese names have no "Given Family" split to guess at.
 */
import type { FindingType } from '@db/schema';
import { shanghaiDay } from '~/i18n';

export interface CitationData {
  findingId: number;
  version: number;
  type: FindingType;
  title: string;
  authors: string[];
  /** When the version was published. */
  issued: Date;
  publisher: string | null;
  doi: string | null;
  url: string;
  licence: string;
  keywords: string[];
  /** The content's language as a BCP 47 tag, when known. */
  language?: string;
}

const GENRE: Record<FindingType, string | null> = {
  article: null,
  report: 'Report',
  working_paper: 'Working paper',
  dataset: null,
  policy_brief: 'Policy brief',
};

/** Calendar parts of a date in Shanghai time. */
function dateParts(d: Date): [number, number, number] {
  const [y, m, day] = shanghaiDay(d).split('-').map(Number);
  return [y!, m!, day!];
}

export const citationKey = (c: CitationData) => `finding${c.findingId}v${c.version}_${dateParts(c.issued)[0]}`;

/**
 * TeX's special characters, and `<` `>` (which the OT1 font encoding that BibTeX styles typeset in
 * prints as ¡ ¿). Text commands are wrapped in braces, BibTeX's "special character" form, so case
 * changes leave them alone and Unicode-aware readers (biber, Zotero) decode them. Braces too are
 * written as commands: BibTeX counts `\{` as an opening brace, so an unbalanced `{` in a title
 * would break the entry.
 */
const BIBTEX_SPECIAL: Record<string, string> = {
  '\\': '{\\textbackslash}',
  '{': '{\\textbraceleft}',
  '}': '{\\textbraceright}',
  '<': '{\\textless}',
  '>': '{\\textgreater}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '^': '{\\textasciicircum}',
  '~': '{\\textasciitilde}',
};

/** Escapes TeX's special characters; other Unicode (Chinese included) stays as UTF-8 for biber/biblatex. */
export function escapeBibtex(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\{}<>&%$#_^~]/g, (c) => BIBTEX_SPECIAL[c]!);
}

/** Verbatim fields (url, doi) cannot escape, so characters that would unbalance the braces are percent-encoded. */
const verbatim = (text: string) => text.replace(/[{}\\%\s]/g, (c) => encodeURIComponent(c));

export function toBibtex(c: CitationData): string {
  const [year, month] = dateParts(c.issued);
  const entry = c.type === 'article' ? 'article' : c.type === 'dataset' ? 'misc' : 'techreport';
  const fields: [string, string][] = [
    ['title', `{${escapeBibtex(c.title)}}`],
    ['author', c.authors.map((a) => `{${escapeBibtex(a)}}`).join(' and ')],
    ['year', String(year)],
    ['month', String(month)],
  ];
  if (c.publisher) fields.push([entry === 'techreport' ? 'institution' : 'publisher', escapeBibtex(c.publisher)]);
  const genre = GENRE[c.type];
  if (entry === 'techreport' && genre) fields.push(['type', genre]);
  if (c.type === 'dataset') fields.push(['howpublished', 'Dataset']);
  fields.push(['version', String(c.version)]);
  if (c.doi) fields.push(['doi', verbatim(c.doi)]);
  fields.push(['url', verbatim(c.url)]);
  if (c.keywords.length) fields.push(['keywords', c.keywords.map(escapeBibtex).join(', ')]);
  if (c.language) fields.push(['language', escapeBibtex(c.language)]);
  fields.push(['note', `Licence: ${escapeBibtex(c.licence)}`]);
  const body = fields.filter(([, v]) => v !== '').map(([k, v]) => `  ${k} = {${v}}`);
  return `@${entry}{${citationKey(c)},\n${body.join(',\n')}\n}\n`;
}

const RIS_TYPE: Record<FindingType, string> = {
  article: 'JOUR',
  report: 'RPRT',
  working_paper: 'RPRT',
  dataset: 'DATA',
  policy_brief: 'RPRT',
};

/** RIS: one tag per line (`XX  - value`), CRLF line ends, values on one line. */
export function toRis(c: CitationData): string {
  const [year, month, day] = dateParts(c.issued);
  const line = (tag: string, value: string) => `${tag}  - ${value.replace(/\s+/g, ' ').trim()}`;
  const lines = [line('TY', RIS_TYPE[c.type]), line('TI', c.title), ...c.authors.map((a) => line('AU', a))];
  lines.push(line('PY', String(year)), line('DA', `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/`));
  if (c.publisher) lines.push(line('PB', c.publisher));
  const genre = GENRE[c.type];
  if (genre) lines.push(line('M3', genre));
  lines.push(line('ET', `Version ${c.version}`));
  if (c.doi) lines.push(line('DO', c.doi));
  lines.push(line('UR', c.url));
  for (const k of c.keywords) lines.push(line('KW', k));
  if (c.language) lines.push(line('LA', c.language));
  lines.push(line('N1', `Licence: ${c.licence}`), 'ER  - ');
  return lines.join('\r\n') + '\r\n';
}

const CSL_TYPE: Record<FindingType, string> = {
  article: 'article',
  report: 'report',
  working_paper: 'report',
  dataset: 'dataset',
  policy_brief: 'report',
};

/** CSL-JSON (an array with one item), as citeproc processors and Zotero read it. */
export function toCslJson(c: CitationData) {
  const genre = GENRE[c.type];
  return [
    {
      id: citationKey(c),
      type: CSL_TYPE[c.type],
      title: c.title,
      author: c.authors.map((literal) => ({ literal })),
      issued: { 'date-parts': [dateParts(c.issued)] },
      ...(c.publisher ? { publisher: c.publisher } : {}),
      ...(genre ? { genre } : {}),
      version: String(c.version),
      ...(c.doi ? { DOI: c.doi } : {}),
      URL: c.url,
      ...(c.keywords.length ? { keyword: c.keywords.join(', ') } : {}),
      ...(c.language ? { language: c.language } : {}),
      license: c.licence,
    },
  ];
}

export const CITATION_MEDIA: Record<'bibtex' | 'ris' | 'csl-json', { type: string; ext: string }> = {
  bibtex: { type: 'application/x-bibtex; charset=utf-8', ext: 'bib' },
  ris: { type: 'application/x-research-info-systems; charset=utf-8', ext: 'ris' },
  'csl-json': { type: 'application/vnd.citationstyles.csl+json; charset=utf-8', ext: 'json' },
};

export function formatCitation(format: 'bibtex' | 'ris' | 'csl-json', c: CitationData): string {
  if (format === 'bibtex') return toBibtex(c);
  if (format === 'ris') return toRis(c);
  return JSON.stringify(toCslJson(c), null, 2) + '\n';
}
