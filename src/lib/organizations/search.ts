import { and, eq } from 'drizzle-orm';
import { organizations } from '@db/schema';
import { markdownToText } from '~/lib/markdown/render';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';

type Organization = typeof organizations.$inferSelect;

export function organizationSearchDocument(org: Organization): SearchDocument {
  return {
    kind: 'organization',
    id: String(org.id),
    url: `/organizations/${org.slug}`,
    lang: org.nameZh ? 'mul' : 'en',
    title: org.name,
    titleZh: org.nameZh,
    summary: null,
    body: markdownToText(org.descriptionMd),
    organizationName: org.name,
    organizationType: org.type,
    year: org.verifiedAt?.getFullYear() ?? null,
  };
}

/** Only verified organizations are public. */
export const organizationSource: DocumentSource = {
  kind: 'organization',
  all: (db) => db.select().from(organizations).where(eq(organizations.status, 'verified')).all().map(organizationSearchDocument),
  ofOrganization: (db, organizationId) =>
    db.select().from(organizations).where(and(eq(organizations.id, organizationId), eq(organizations.status, 'verified'))).all().map(organizationSearchDocument),
};
