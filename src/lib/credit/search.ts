/**
 * Certificates in the site search: the company's names, the number, the grade, the scheme and the
 * body, and the state in both languages, so "虹桥 AA" or a pasted number finds the verification
 * page. Only certificates are indexed: assessments, evidence, objections and complaints never are.
 * (Like the other domains' document modules, this one does not import the index itself: the index
 * imports it, through src/lib/search/sources.ts. `reindexCertificate` is in ./reindex.ts.)
 */
import { eq, or } from 'drizzle-orm';
import { creditCertificates } from '@db/schema';
import { dictionaries } from '~/i18n/dict';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';
import { certificateSummaries, type CertificateSummary } from './summaries';

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

/** Every certificate is a public record (an ended one says so on its page). */
export const creditCertificateSource: DocumentSource = {
  kind: 'credit_certificate',
  all: (db) => certificateSummaries(db, undefined).all().map(certificateSearchDocument),
  ofOrganization: (db, organizationId) =>
    certificateSummaries(db, or(eq(creditCertificates.entityId, organizationId), eq(creditCertificates.organizationId, organizationId)))
      .all()
      .map(certificateSearchDocument),
};
