/**
 * A certificate as schema.org's `Certification` (schema.org 26+: "an official and authoritative
 * statement about a subject… issued by an independent certification body"): the company it is
 * about, the body that issued it, the grade as a rating on the scheme's scale, and whether it is
 * in force. Links are absolute, from SITE_URL.
 */
import type { VerifiedCertificate } from './public';

export function certificateJsonLd(c: VerifiedCertificate, origin: string) {
  const inForce = c.state === 'active';
  return {
    '@context': 'https://schema.org',
    '@type': 'Certification',
    name: `${c.schemeName} ${c.grade}`,
    ...(c.schemeNameZh ? { alternateName: `${c.schemeNameZh} ${c.grade}` } : {}),
    identifier: c.number,
    certificationIdentification: c.number,
    url: `${origin}/credit/${c.number}`,
    about: {
      '@type': 'Organization',
      name: c.entityName,
      ...(c.entityNameZh ? { alternateName: c.entityNameZh } : {}),
      ...(c.creditCode ? { taxID: c.creditCode } : {}),
      ...(c.entityVerified ? { url: `${origin}/organizations/${c.entitySlug}` } : {}),
    },
    issuedBy: {
      '@type': 'Organization',
      name: c.bodyName,
      ...(c.bodyNameZh ? { alternateName: c.bodyNameZh } : {}),
      url: `${origin}/organizations/${c.bodySlug}`,
    },
    certificationRating: {
      '@type': 'Rating',
      ratingValue: c.grade,
      ...(c.bands.length ? { bestRating: c.bands[0]!.grade, worstRating: c.bands[c.bands.length - 1]!.grade } : {}),
      ratingExplanation: `${c.score} / ${c.maxScore}`,
    },
    certificationStatus: inForce ? 'https://schema.org/CertificationActive' : 'https://schema.org/CertificationInactive',
    isBasedOn: `${origin}/standards/${c.standardId}`,
    datePublished: c.validFrom,
    validFrom: c.validFrom,
    expires: c.validUntil,
  };
}
