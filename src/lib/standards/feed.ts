/** Atom feeds (RFC 4287) of drafts open for public comment: all bodies, or one. Every text is XML-escaped. */
import type { Db } from '@db/client';
import { getOrganizationBySlug } from '~/lib/organizations/service';
import { markdownToText } from '~/lib/markdown/render';
import { openForComment } from './queries';

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** The feed, or null when `bodySlug` names no verified industry body. */
export function openForCommentFeed(db: Db, origin: string, lang: 'zh-cn' | 'en', bodySlug?: string): string | null {
  let bodyName: string | undefined;
  if (bodySlug) {
    const org = getOrganizationBySlug(db, bodySlug);
    if (!org || org.type !== 'industry_body' || org.status !== 'verified') return null;
    bodyName = lang === 'en' ? org.name : (org.nameZh ?? org.name);
  }
  const prefix = lang === 'en' ? '/en' : '';
  const items = openForComment(db, bodySlug);
  const host = new URL(origin).hostname;
  const updated = items.reduce((m, i) => Math.max(m, Date.parse(i.commentOpensAt ?? i.updatedAt)), 0);
  const self = `${origin}/standards/${bodySlug ? `${bodySlug}/` : ''}feed.atom${lang === 'en' ? '?lang=en' : ''}`;
  const entries = items.map((s) => {
    const title = lang === 'en' ? s.title : (s.titleZh ?? s.title);
    const body = lang === 'en' ? s.organization.name : (s.organization.nameZh ?? s.organization.name);
    const until = s.commentClosesAt!.slice(0, 10);
    const summary = `${body} · ${lang === 'en' ? `comments until ${until}` : `征求意见截止 ${until}`}${s.scopeMd ? ` · ${markdownToText(s.scopeMd).slice(0, 300)}` : ''}`;
    return `  <entry>
    <id>tag:${xml(host)},2026:standard-${s.id}-comment-${xml(s.commentOpensAt ?? '')}</id>
    <title>${xml(title)}</title>
    <link rel="alternate" type="text/html" href="${xml(`${origin}${prefix}/standards/${s.id}`)}"/>
    <published>${s.commentOpensAt}</published>
    <updated>${s.commentOpensAt}</updated>
    <author><name>${xml(body)}</name></author>
    <summary>${xml(summary)}</summary>
    <category term="public_comment" label="40.20"/>
  </entry>`;
  });
  const feedTitle = lang === 'en' ? `Draft standards open for comment${bodyName ? ` — ${bodyName}` : ''}` : `${bodyName ? `${bodyName} · ` : ''}团体标准征求意见稿`;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang === 'en' ? 'en' : 'zh-CN'}">
  <id>${xml(self)}</id>
  <title>${xml(feedTitle)}</title>
  <updated>${new Date(updated || Date.now()).toISOString()}</updated>
  <author><name>Shanghai Cross-border E-commerce Portal</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${origin}${prefix}/standards`)}"/>
${entries.join('\n')}
</feed>
`;
}
