/**
 * Content we author, as Astro content collections. The policy library's front matter schema is
 * shared with src/lib/policies/library.ts (search and CLI read the same files outside Astro).
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { policyMeta } from './lib/policies/schema';

const policies = defineCollection({
  loader: glob({ pattern: '*.md', base: './content/policies' }),
  schema: policyMeta,
});

export const collections = { policies };
