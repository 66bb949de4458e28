import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { organizations, standards, standardVersions } from '@db/schema';
import { markdownToText } from '~/lib/markdown/render';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';
import { standardVisibleTo } from './policy';

type Standard = typeof standards.$inferSelect;

export function standardSearchDocument(db: DbOrTx, s: Standard): SearchDocument {
  const org = db.select().from(organizations).where(eq(organizations.id, s.organizationId)).get();
  const latest = db.select().from(standardVersions).where(eq(standardVersions.standardId, s.id)).orderBy(desc(standardVersions.number)).limit(1).get();
  return {
    kind: 'standard',
    id: String(s.id),
    url: `/standards/${s.id}`,
    lang: s.titleZh ? 'mul' : 'en',
    title: s.number ? `${s.number} ${s.title}` : s.title,
    titleZh: s.titleZh ? (s.number ? `${s.number} ${s.titleZh}` : s.titleZh) : null,
    summary: markdownToText(s.scopeMd),
    body: latest ? markdownToText(latest.bodyMd) : null,
    organizationName: org?.name ?? null,
    organizationType: org?.type ?? null,
    languages: s.titleZh ? ['zh-cn', 'en'] : ['en'],
    year: (s.publishedAt ?? s.commentOpensAt ?? s.createdAt).getUTCFullYear(),
    tags: [s.state, ...(s.number ? [s.number] : [])],
  };
}

/** What nobody signed in may see (`standardVisibleTo(null)`) is what search shows. */
export const standardSource: DocumentSource = {
  kind: 'standard',
  all: (db) => db.select().from(standards).where(standardVisibleTo(null)).all().map((s) => standardSearchDocument(db, s)),
  ofOrganization: (db, organizationId) =>
    db
      .select()
      .from(standards)
      .where(and(standardVisibleTo(null), eq(standards.organizationId, organizationId)))
      .all()
      .map((s) => standardSearchDocument(db, s)),
};
