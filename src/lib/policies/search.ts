import { markdownToText } from '~/lib/markdown/render';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';
import { listPolicies, type Policy } from './library';

export function policySearchDocument(p: Policy): SearchDocument {
  return {
    kind: 'policy',
    id: p.slug,
    url: `/policies/${p.slug}`,
    lang: p.lang,
    title: p.title,
    titleZh: p.titleZh ?? null,
    summary: p.summary ?? null,
    body: markdownToText(p.bodyMd),
    organizationType: 'government',
  };
}

export const policySource: DocumentSource = { kind: 'policy', all: () => listPolicies().map(policySearchDocument) };
