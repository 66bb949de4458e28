import { z } from 'zod';
import { multiLine } from '~/lib/forms/text';
import { DOC_KINDS, type SearchQuery } from './types';

export const MAX_QUERY_LENGTH = 500;

/** "a,b" or "a" → ['a', 'b']; empty → undefined. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v ? v.slice(0, 500).split(',').map((s) => s.trim()).filter(Boolean) : undefined),
    z.array(item).max(20, 'Choose at most 20 values.').optional(),
  );

/** Query text: control characters become spaces; length is capped with a message, not a 500. */
export const queryText = z
  .string()
  .max(MAX_QUERY_LENGTH, `Use at most ${MAX_QUERY_LENGTH} characters.`)
  .default('')
  .transform((v) => v.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim());

export const searchParams = z.object({
  q: queryText.describe('What to look for, in Chinese or English. The last word matches as a prefix.'),
  type: list(z.enum(DOC_KINDS, { error: `Use types among: ${DOC_KINDS.join(', ')}.` })).describe('Comma-separated document types'),
  lang: list(z.enum(['zh-cn', 'en'], { error: 'Use zh-cn or en.' })).describe('Comma-separated content languages'),
  organizationType: list(z.string().regex(/^[a-z_]{2,40}$/, 'Use organization types such as university.')).describe('Comma-separated organization types'),
  year: list(z.coerce.number().int().min(1900).max(2200)).describe('Comma-separated years'),
  page: z.coerce.number().int('Use a whole page number.').min(1, 'Pages start at 1.').max(100, 'Use a page number up to 100.').default(1),
  perPage: z.coerce.number().int().min(1).max(50, 'Use at most 50 results per page.').default(20),
});
export type SearchParams = z.infer<typeof searchParams>;

export function toSearchQuery(p: SearchParams): SearchQuery {
  return { q: p.q, kinds: p.type, languages: p.lang, organizationTypes: p.organizationType, years: p.year, page: p.page, perPage: p.perPage };
}

export const suggestParams = z.object({
  q: queryText.describe('What has been typed so far'),
});

const facetCounts = z.record(z.string(), z.number());

export const searchOutput = z.object({
  query: z.string(),
  total: z.number(),
  page: z.number(),
  perPage: z.number(),
  hits: z.array(
    z.object({
      type: z.enum(DOC_KINDS),
      id: z.string(),
      title: z.string(),
      titleZh: z.string().nullable(),
      snippet: z.string().describe('HTML: matched words in <mark>, everything else escaped'),
      url: z.string(),
      lang: z.string(),
      titleHtml: z.string().nullable().describe('HTML: the title with matched words in <mark>, everything else escaped'),
      titleZhHtml: z.string().nullable().describe('HTML: the Chinese title, marked the same way'),
    }),
  ),
  facets: z.object({ type: facetCounts, organizationType: facetCounts, language: facetCounts, year: facetCounts }),
  suggestions: z.array(z.string()).optional().describe('Nearest index terms when nothing matched'),
  tookMs: z.number(),
});

export const suggestOutput = z.object({ query: z.string(), suggestions: z.array(z.string()) });

/** The admin form: one group of terms, separated by commas or line breaks. */
export const synonymGroupForm = z.object({
  terms: multiLine(4000, { error: 'Give at least two terms.' }),
});
export const synonymGroupEditForm = synonymGroupForm.extend({ id: z.coerce.number().int().positive() });
export const synonymGroupDeleteForm = z.object({ id: z.coerce.number().int().positive() });
