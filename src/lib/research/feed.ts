/** The Atom feed (RFC 4287) of newly published findings. Every text is XML-escaped. */
import type { DbOrTx } from '@db/client';
import { listRecentFindings } from './queries';

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function findingsAtomFeed(db: DbOrTx, origin: string, lang: 'zh-cn' | 'en' = 'zh-cn'): string {
  const prefix = lang === 'en' ? '/en' : '';
  const items = listRecentFindings(db, 50);
  const updated = items.reduce((max, i) => Math.max(max, (i.latest?.publishedAt ?? i.finding.publishedAt ?? new Date(0)).getTime()), 0);
  const entries = items.map(({ finding: f, projectTitle, projectTitleZh, latest }) => {
    const url = `${origin}${prefix}/research/findings/${f.id}`;
    const title = lang === 'en' ? f.title : (f.titleZh ?? f.title);
    const project = lang === 'en' ? projectTitle : (projectTitleZh ?? projectTitle);
    return `  <entry>
    <id>tag:${xml(new URL(origin).hostname)},2026:research-finding-${f.id}</id>
    <title>${xml(title)}</title>
    <link rel="alternate" type="text/html" href="${xml(url)}"/>
    <published>${f.publishedAt!.toISOString()}</published>
    <updated>${(latest?.publishedAt ?? f.publishedAt!).toISOString()}</updated>
    <summary>${xml(`${project} · v${latest?.number ?? 1}`)}</summary>
    <category term="${xml(f.type)}"/>
  </entry>`;
  });
  const title = lang === 'en' ? 'New research findings' : '最新研究成果';
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang === 'en' ? 'en' : 'zh-CN'}">
  <id>${xml(`${origin}/research/feed.atom${lang === 'en' ? '?lang=en' : ''}`)}</id>
  <title>${xml(title)}</title>
  <updated>${new Date(updated || Date.now()).toISOString()}</updated>
  <author><name>Shanghai Cross-border E-commerce Portal</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(`${origin}/research/feed.atom${lang === 'en' ? '?lang=en' : ''}`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${origin}${prefix}/research`)}"/>
${entries.join('\n')}
</feed>
`;
}
