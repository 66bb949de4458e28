/**
 * The policy library read straight from content/policies/, for search indexing and the command
 * line (outside Astro). The pages read the same files through the `policies` content collection;
 * both validate with one schema (./schema.ts). Front matter here is one `key: value` per line,
 * values optionally in double quotes: keep policy files to that subset of YAML.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { policyMeta, type PolicyMeta } from './schema';

export interface Policy extends PolicyMeta {
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
