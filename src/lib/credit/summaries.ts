/**
 * A certificate with its company, scheme and body, as every public view shows it (directory,
 * verification page, company profile, search document). Kept apart from ./public.ts, which reads
 * through the certificate lifecycle, so that the search index can import its document source
 * without importing the lifecycle (and through it, the index itself).
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '@db/client';
import { creditCertificates, creditSchemes, organizations } from '@db/schema';

/** The certifying body, as joined (the directory filters on its slug). */
export const body = alias(organizations, 'body');
const entity = alias(organizations, 'entity');

/** One row of the directory and the fields every public view of a certificate shows. */
const summaryColumns = {
  id: creditCertificates.id,
  number: creditCertificates.number,
  grade: creditCertificates.grade,
  state: creditCertificates.state,
  validFrom: creditCertificates.validFrom,
  validUntil: creditCertificates.validUntil,
  schemeId: creditCertificates.schemeId,
  schemeName: creditSchemes.name,
  schemeNameZh: creditSchemes.nameZh,
  entityId: creditCertificates.entityId,
  entitySlug: entity.slug,
  entityName: entity.name,
  entityNameZh: entity.nameZh,
  creditCode: entity.creditCode,
  /** Only a verified organization has a public page to link to; its certificate is public either way. */
  entityVerified: sql<boolean>`${entity.status} = 'verified'`.mapWith(Boolean),
  bodySlug: body.slug,
  bodyName: body.name,
  bodyNameZh: body.nameZh,
  bodyCode: body.code,
};

/** Certificates with their company, scheme and body, as every public view shows them. */
export function certificateSummaries(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(summaryColumns)
    .from(creditCertificates)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditCertificates.schemeId))
    .innerJoin(entity, eq(entity.id, creditCertificates.entityId))
    .innerJoin(body, eq(body.id, creditCertificates.organizationId))
    .where(where);
}
export type CertificateSummary = Awaited<ReturnType<ReturnType<typeof certificateSummaries>['all']>>[number];
