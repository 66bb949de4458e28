/**
 * What machines read about research pages: citation data for the export formats, Highwire-style
 * `citation_*` meta tags (Google Scholar, Zotero), and schema.org JSON-LD.
 */
import type { Lang } from '~/i18n';
import { localizePath, pick, shanghaiDay } from '~/i18n';
import { doiUrl } from '~/lib/identifiers/doi';
import { markdownToText } from '~/lib/markdown/render';
import type { CitationData } from './citation';
import type { FindingView, getProject } from './queries';

type Version = FindingView['versions'][number];

export const versionPath = (findingId: number, number: number) => `/research/findings/${findingId}?v=${number}`;

const contentLanguage = (text: string) => (/\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en');

export function citationData(view: FindingView, version: Version, origin: string, lang: Lang = 'en'): CitationData {
  const f = view.finding;
  const lead = view.project.organizations.find((o) => o.role === 'lead');
  const title = pick(lang, f.title, f.titleZh);
  return {
    findingId: f.id,
    version: version.number,
    type: f.type,
    title,
    authors: view.project.people.map((p) => p.name),
    issued: version.publishedAt ?? version.createdAt,
    publisher: lead ? pick(lang, lead.name, lead.nameZh) : null,
    doi: f.doi,
    url: origin + localizePath(versionPath(f.id, version.number), lang),
    licence: f.licence,
    keywords: view.project.project.keywords,
    language: contentLanguage(title),
  };
}

/** Highwire's YYYY/MM/DD, on Shanghai's calendar like every other citation format. */
const isoDay = (d: Date) => shanghaiDay(d).replace(/-/g, '/');

export function citationMetaTags(c: CitationData, view: FindingView): { name: string; content: string }[] {
  const tags: { name: string; content: string }[] = [{ name: 'citation_title', content: c.title }];
  for (const a of c.authors) tags.push({ name: 'citation_author', content: a });
  tags.push({ name: 'citation_publication_date', content: isoDay(c.issued) });
  if (view.finding.publishedAt) tags.push({ name: 'citation_online_date', content: isoDay(view.finding.publishedAt) });
  if (c.publisher) {
    const kind = view.finding.type === 'article' || view.finding.type === 'dataset' ? 'citation_publisher' : 'citation_technical_report_institution';
    tags.push({ name: kind, content: c.publisher });
  }
  if (c.doi) tags.push({ name: 'citation_doi', content: c.doi });
  tags.push({ name: 'citation_abstract_html_url', content: c.url });
  if (c.language) tags.push({ name: 'citation_language', content: c.language });
  for (const k of c.keywords) tags.push({ name: 'citation_keywords', content: k });
  return tags;
}

export function findingJsonLd(view: FindingView, version: Version, c: CitationData, projectUrl: string) {
  const f = view.finding;
  return {
    '@context': 'https://schema.org',
    '@type': f.type === 'dataset' ? 'Dataset' : 'ScholarlyArticle',
    '@id': c.url,
    name: f.title,
    ...(f.titleZh ? { alternateName: f.titleZh } : {}),
    headline: f.title.slice(0, 110),
    url: c.url,
    version: String(version.number),
    datePublished: (version.publishedAt ?? version.createdAt).toISOString(),
    author: view.project.people.map((p) => ({
      '@type': 'Person',
      name: p.name,
      ...(p.orcid ? { identifier: `https://orcid.org/${p.orcid}`, sameAs: `https://orcid.org/${p.orcid}` } : {}),
    })),
    publisher: view.project.organizations
      .filter((o) => o.role === 'lead')
      .map((o) => ({ '@type': 'Organization', name: o.name, ...(o.rorId ? { identifier: `https://ror.org/${o.rorId}` } : {}) }))[0],
    license: `https://spdx.org/licenses/${f.licence}.html`,
    isAccessibleForFree: f.access === 'open' || view.bodyPublic,
    ...(f.doi ? { identifier: { '@type': 'PropertyValue', propertyID: 'DOI', value: f.doi, url: doiUrl(f.doi) }, sameAs: doiUrl(f.doi) } : {}),
    keywords: c.keywords.join(', '),
    // schema.org's isPartOf takes a CreativeWork; a ResearchProject is an Organization, which sourceOrganization takes.
    sourceOrganization: { '@type': 'ResearchProject', name: view.project.project.title, url: projectUrl },
  };
}

export function projectJsonLd(view: ReturnType<typeof getProject>, url: string) {
  const p = view.project;
  return {
    '@context': 'https://schema.org',
    '@type': 'ResearchProject',
    '@id': url,
    name: p.title,
    ...(p.titleZh ? { alternateName: p.titleZh } : {}),
    ...(p.acronym ? { alternateName: [p.titleZh, p.acronym].filter(Boolean) } : {}),
    url,
    description: markdownToText(p.abstractMd).slice(0, 5000),
    foundingDate: p.startDate,
    ...(p.endDate ? { dissolutionDate: p.endDate } : {}),
    keywords: p.keywords.join(', '),
    parentOrganization: view.organizations
      .filter((o) => o.role === 'lead')
      .map((o) => ({ '@type': 'Organization', name: o.name, ...(o.rorId ? { identifier: `https://ror.org/${o.rorId}` } : {}) }))[0],
    member: view.people.map((x) => ({ '@type': 'Person', name: x.name, ...(x.orcid ? { identifier: `https://orcid.org/${x.orcid}` } : {}) })),
    funder: view.funding.map((f) => ({ '@type': 'Organization', name: f.funder })),
  };
}
