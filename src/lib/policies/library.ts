/**
 * The policy library: Markdown files with front matter in content/policies/. Pages render them
 * through the shared renderer; search indexes their text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const policyMeta = z.object({
  title: z.string(),
  titleZh: z.string().optional(),
  lang: z.enum(['zh-cn', 'en']),
  source: z.string(),
  sourceUrl: z.string().optional(),
  summary: z.string().optional(),
  order: z.coerce.number().default(100),
});

export interface Policy extends z.infer<typeof policyMeta> {
  slug: string;
  bodyMd: string;
}

const folder = () => path.resolve(process.env.CONTENT_DIR ?? 'content', 'policies');

function parseFrontMatter(text: string): { meta: Record<string, string>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!match) return { meta: {}, body: text };
  const meta: Record<string, string> = {};
  for (const line of match[1]!.split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (m) meta[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1').replace(/\\"/g, '"');
  }
  return { meta, body: text.slice(match[0].length) };
}

export function listPolicies(): Policy[] {
  let files: string[];
  try {
    files = readdirSync(folder()).filter((f) => f.endsWith('.md'));
  } catch {
    return [];
  }
  return files
    .map((file) => {
      const { meta, body } = parseFrontMatter(readFileSync(path.join(folder(), file), 'utf8'));
      return { slug: file.replace(/\.md$/, ''), ...policyMeta.parse(meta), bodyMd: body };
    })
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

export function getPolicy(slug: string): Policy | undefined {
  return listPolicies().find((p) => p.slug === slug);
}
