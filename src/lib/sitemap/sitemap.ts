/**
 * sitemap.xml: the section pages plus every public document. The search index's document table
 * is, by construction, the list of what is public (only published courses, verified
 * organizations, public standards stages, published findings… are ever indexed, and settlement
 * cases never are), so the sitemap reads it instead of asking each domain again.
 */
import type { Db } from '@db/client';
import { localizePath } from '~/i18n';
import { datasetPath } from '~/lib/data/catalog';
import { datasets } from '~/lib/data/registry';
import { THEMES } from '~/lib/data/types';

const SECTIONS = [
  ...['/', '/courses', '/research', '/standards', '/settlement', '/settlement/estimate', '/organizations', '/policies', '/search', '/certificates', '/credit', '/data'],
  ...THEMES.map((theme) => `/data/${theme}`),
  ...datasets.map((d) => datasetPath(d.id)),
];

/** The protocol allows 50,000 URLs per file; each entry here yields two (zh and en). */
export const SITEMAP_LIMIT = 24_000;

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export function publicPaths(db: Db): string[] {
  const rows = db.$client
    .prepare(`SELECT url FROM search_documents ORDER BY kind, doc_id LIMIT ?`)
    .pluck()
    .all(SITEMAP_LIMIT - SECTIONS.length) as string[];
  return [...SECTIONS, ...rows];
}

export function renderSitemap(origin: string, paths: string[]): string {
  const entries = paths.flatMap((p) => {
    const zh = origin + localizePath(p, 'zh-cn');
    const en = origin + localizePath(p, 'en');
    const alternates =
      `<xhtml:link rel="alternate" hreflang="zh-CN" href="${escapeXml(zh)}"/>` +
      `<xhtml:link rel="alternate" hreflang="en" href="${escapeXml(en)}"/>`;
    return [zh, en].map((loc) => `<url><loc>${escapeXml(loc)}</loc>${alternates}</url>`);
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' +
    entries.join('\n') +
    '\n</urlset>\n'
  );
}
