/**
 * The front matter of a policy file in content/policies/. One schema for both readers: the Astro
 * content collection behind the pages (src/content.config.ts) and library.ts behind search and the
 * command line, which run outside Astro and cannot import astro:content.
 */
import { z } from 'zod';

export const policyMeta = z.object({
  title: z.string().min(1),
  titleZh: z.string().optional(),
  /** The language the body is written in. */
  lang: z.enum(['zh-cn', 'en']),
  /** Who published the text, named on the page. */
  source: z.string().min(1),
  sourceUrl: z.url().optional(),
  summary: z.string().optional(),
  /** `text`: the policy's own words (or its published translation); `summary`: our summary of it. */
  kind: z.enum(['text', 'summary']).default('text'),
  /** For a summary: the slug of the entry it summarizes. */
  summaryOf: z.string().optional(),
  order: z.coerce.number().default(100),
});
export type PolicyMeta = z.infer<typeof policyMeta>;
