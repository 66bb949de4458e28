/**
 * Certificates in the site search: the company's names, the number, the grade, the scheme and the
 * body, and the state in both languages, so "虹桥 AA" or a pasted number finds the verification
 * page. Only certificates are indexed: assessments, evidence, objections and complaints never are.
 */
import { eq, or } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditCertificates } from '@db/schema';
import { dictionaries } from '~/i18n/dict';
import { searchIndex } from '~/lib/search';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';
import { certificateSummaries, type CertificateSummary } from './public';

export function certificateSearchDocument(c: CertificateSummary): SearchDocument {
  const state = { en: dictionaries.en[`credit.public.state.${c.state}`], zh: dictionaries['zh-cn'][`credit.public.state.${c.state}`] };
  const both = (en: string, zh: string | null) => (zh ? `${en} ${zh}` : en);
  return {
    kind: 'credit_certificate',
    id: String(c.id),
    url: `/credit/${c.number}`,
    lang: c.entityNameZh ? 'mul' : 'en',
    title: `${c.entityName} · ${c.grade} · ${c.number}`,
    titleZh: c.entityNameZh ? `${c.entityNameZh} · ${c.grade} · ${c.number}` : null,
    summary: `${both(c.schemeName, c.schemeNameZh)} · ${both(c.bodyName, c.bodyNameZh)} · ${state.en} ${state.zh}`,
    body: c.creditCode,
    organizationName: c.entityName,
    organizationType: 'company',
    languages: ['zh-cn', 'en'],
    year: Number(c.validFrom.slice(0, 4)),
    tags: [c.grade, c.number, c.state, ...(c.creditCode ? [c.creditCode] : [])],
  };
}

/**
 * Puts one certificate's current state into the index, inside the caller's transaction: call it
 * whenever a certificate is issued or changes state (suspended, withdrawn, expired…).
 */
export function reindexCertificate(tx: DbOrTx, certificateId: number): void {
  const c = certificateSummaries(tx, eq(creditCertificates.id, certificateId)).get();
  if (c) searchIndex.upsert(tx, certificateSearchDocument(c));
  else searchIndex.remove(tx, 'credit_certificate', String(certificateId));
}

/** Every certificate is a public record (an ended one says so on its page). */
export const creditCertificateSource: DocumentSource = {
  kind: 'credit_certificate',
  all: (db) => certificateSummaries(db, undefined).all().map(certificateSearchDocument),
  ofOrganization: (db, organizationId) =>
    certificateSummaries(db, or(eq(creditCertificates.entityId, organizationId), eq(creditCertificates.organizationId, organizationId)))
      .all()
      .map(certificateSearchDocument),
};
