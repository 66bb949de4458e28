/**
 * Route content in content/settlement/: explanations (<slug>.<lang>.md, rendered by the one
 * renderer) and service times (service-times.json).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Lang } from '~/i18n';
import { renderMarkdown } from '~/lib/markdown/render';

const contentDir = () => path.resolve(process.env.CONTENT_DIR ?? 'content', 'settlement');

export function routeExplanationHtml(slug: string, lang: Lang): string | null {
  if (!/^[a-z0-9-]+$/.test(slug)) return null;
  const dir = contentDir();
  for (const l of [lang, lang === 'en' ? 'zh-cn' : 'en']) {
    try {
      return renderMarkdown(readFileSync(path.join(dir, `${slug}.${l}.md`), 'utf8'), { lang });
    } catch {
      /* try the other language */
    }
  }
  return null;
}

const serviceTimesFile = z.object({
  routes: z.record(
    z.string(),
    z.object({
      completenessCheckDays: z.number().int().positive(),
      decisionDays: z.number().int().positive(),
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      sourceUrl: z.url().nullable(),
      sourceLabel: z.string().min(1).nullable(),
    }),
  ),
});

/**
 * How long a route usually takes, in working days after submission, with the day it was checked
 * and its source. Without a source the figures are `indicative` (the office's targets, unconfirmed),
 * and pages say so.
 */
export interface ServiceTimes {
  completenessCheckDays: number;
  decisionDays: number;
  asOf: string;
  source: { url: string; label: string } | null;
  indicative: boolean;
}

export function routeServiceTimes(slug: string): ServiceTimes | null {
  let raw: string;
  try {
    raw = readFileSync(path.join(contentDir(), 'service-times.json'), 'utf8');
  } catch {
    return null;
  }
  const entry = serviceTimesFile.parse(JSON.parse(raw)).routes[slug];
  if (!entry) return null;
  const source = entry.sourceUrl && entry.sourceLabel ? { url: entry.sourceUrl, label: entry.sourceLabel } : null;
  return { completenessCheckDays: entry.completenessCheckDays, decisionDays: entry.decisionDays, asOf: entry.asOf, source, indicative: !source };
}
