/**
 * How machines find the datasets (issue 18): schema.org `Dataset` JSON-LD on each dataset's page
 * and a DCAT catalogue at /data/catalog.jsonld. Every address is absolute, from SITE_URL.
 */
import { htmlLang, useTranslations, type Lang } from '~/i18n';
import type { Figures } from './figures';
import type { Localized } from './types';

export const LICENSE_URL = 'https://creativecommons.org/licenses/by/4.0/';
export const LICENSE_NAME = 'CC BY 4.0';
/** DCAT's frequency vocabulary: figures follow the data they rest on (see figures.ts). */
const CONTINUOUS = 'http://purl.org/cld/freq/continuous';

/** The portal's operator publishes every dataset: the site as it names itself. */
export const publisherName = (lang: Lang): string => useTranslations(lang)('site.name');

export const datasetPath = (id: string) => `/data/datasets/${id}`;
export const datasetDownloads = (id: string) => [
  { format: 'csv', mediaType: 'text/csv', path: `${datasetPath(id)}.csv` },
  { format: 'json', mediaType: 'application/json', path: `${datasetPath(id)}.json` },
];
export const datasetApiPath = (id: string) => `/api/v1/data/${id}`;

/** A page's `Dataset` (schema.org), in the page's language. */
export function datasetJsonLd(f: Figures, origin: string, lang: Lang) {
  const d = f.dataset;
  const publisher = { '@type': 'Organization', name: publisherName(lang), url: `${origin}/` };
  const page = lang === 'en' ? `${origin}/en${datasetPath(d.id)}` : `${origin}${datasetPath(d.id)}`;
  return {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    '@id': `${origin}${datasetPath(d.id)}`,
    name: d.title[lang],
    description: d.description[lang],
    url: page,
    identifier: d.id,
    inLanguage: htmlLang(lang),
    license: LICENSE_URL,
    isAccessibleForFree: true,
    creator: publisher,
    publisher,
    dateModified: f.computedAt.toISOString(),
    distribution: datasetDownloads(d.id).map((x) => ({ '@type': 'DataDownload', encodingFormat: x.mediaType, contentUrl: `${origin}${x.path}` })),
    variableMeasured: d.columns.map((c) => ({ '@type': 'PropertyValue', name: c.key, description: c.meaning[lang] })),
  };
}

const tagged = (text: Localized) => [
  { '@value': text['zh-cn'], '@language': htmlLang('zh-cn') },
  { '@value': text.en, '@language': htmlLang('en') },
];

/** The DCAT catalogue of every dataset, titles and descriptions in both languages. */
export function catalogJsonLd(figures: Figures[], origin: string) {
  const both = (key: string): Localized => ({ 'zh-cn': useTranslations('zh-cn')(key), en: useTranslations('en')(key) });
  const publisher = { '@id': `${origin}/`, '@type': 'foaf:Agent', 'foaf:name': tagged({ 'zh-cn': publisherName('zh-cn'), en: publisherName('en') }) };
  const license = { '@id': LICENSE_URL };
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': `${origin}/data/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': tagged(both('data.catalogTitle')),
    'dct:description': tagged(both('data.intro')),
    'dct:publisher': publisher,
    'dct:license': license,
    'foaf:homepage': { '@id': `${origin}/data` },
    'dcat:dataset': figures.map((f) => {
      const d = f.dataset;
      const modified = { '@value': f.computedAt.toISOString(), '@type': 'xsd:dateTime' };
      return {
        '@id': `${origin}${datasetPath(d.id)}`,
        '@type': 'dcat:Dataset',
        'dct:identifier': d.id,
        'dct:title': tagged(d.title),
        'dct:description': tagged(d.description),
        'dct:publisher': publisher,
        'dct:license': license,
        'dct:modified': modified,
        'dct:accrualPeriodicity': { '@id': CONTINUOUS },
        'dcat:keyword': d.theme,
        'dcat:landingPage': { '@id': `${origin}${datasetPath(d.id)}` },
        'dcat:distribution': [
          ...datasetDownloads(d.id).map((x) => ({
            '@type': 'dcat:Distribution',
            'dcat:downloadURL': { '@id': `${origin}${x.path}` },
            'dcat:mediaType': { '@id': `https://www.iana.org/assignments/media-types/${x.mediaType}` },
            'dct:format': x.format.toUpperCase(),
            'dct:license': license,
            'dct:modified': modified,
          })),
          {
            '@type': 'dcat:Distribution',
            'dcat:accessURL': { '@id': `${origin}${datasetApiPath(d.id)}` },
            'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/application/json' },
            'dct:format': 'API',
            'dct:license': license,
            'dct:modified': modified,
          },
        ],
      };
    }),
  };
}
