/** Reads for the search page and the API. */
import type { Db } from '@db/client';
import { searchIndex } from './index';
import { MAX_QUERY_LENGTH, searchParams, toSearchQuery, type SearchParams } from './schemas';

/** One search as the API and the page show it (the internal score is left out). */
export async function runSearch(db: Db, params: SearchParams) {
  const result = await searchIndex.search(db, toSearchQuery(params));
  return {
    query: params.q,
    total: result.total,
    page: params.page,
    perPage: params.perPage,
    hits: result.hits.map((h) => ({
      type: h.type,
      id: h.id,
      title: h.title,
      titleZh: h.titleZh,
      snippet: h.snippet,
      url: h.url,
      lang: h.lang,
      titleHtml: h.titleHtml ?? null,
      titleZhHtml: h.titleZhHtml ?? null,
    })),
    facets: result.facets,
    ...(result.suggestions ? { suggestions: result.suggestions } : {}),
    tookMs: Math.round(result.tookMs * 100) / 100,
  };
}

export async function runSuggest(db: Db, q: string) {
  return { query: q, suggestions: q ? await searchIndex.suggest(db, q, 8) : [] };
}

const FACET_PARAMS = { type: 'type', organizationType: 'organizationType', language: 'lang', year: 'year' } as const;
export type FacetName = keyof typeof FACET_PARAMS;

/**
 * Everything the /search page shows, from its URL: the results, and for each facet value a link
 * that adds or removes it (values of one facet combine with OR, facets with AND).
 */
export async function searchPage(db: Db, url: URL) {
  const raw = Object.fromEntries(url.searchParams);
  const parsed = searchParams.safeParse(raw);
  const params = parsed.success ? parsed.data : searchParams.parse({ q: String(raw.q ?? '').slice(0, MAX_QUERY_LENGTH) });
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? null);
  const result = params.q ? await runSearch(db, params) : null;
  const current = (name: FacetName) => (url.searchParams.get(FACET_PARAMS[name]) ?? '').split(',').filter(Boolean);
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(url.searchParams);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    return `${url.pathname}?${next}`;
  };
  const facets = (Object.keys(FACET_PARAMS) as FacetName[]).map((name) => {
    const selected = current(name);
    const counts = result?.facets[name] ?? {};
    const values = Object.keys(counts);
    for (const s of selected) if (!values.includes(s)) values.push(s);
    values.sort((a, b) => (name === 'year' ? Number(b) - Number(a) : (counts[b] ?? 0) - (counts[a] ?? 0) || a.localeCompare(b)));
    return {
      name,
      values: values.map((value) => {
        const on = selected.includes(value);
        const nextValues = on ? selected.filter((s) => s !== value) : [...selected, value];
        return { value, count: counts[value] ?? 0, on, href: href({ [FACET_PARAMS[name]]: nextValues.join(','), page: null }) };
      }),
    };
  });
  const pages = result ? Math.min(100, Math.max(1, Math.ceil(result.total / params.perPage))) : 1;
  const anyFilter = (Object.values(FACET_PARAMS) as string[]).some((p) => url.searchParams.get(p));
  return {
    q: params.q,
    error,
    result,
    facets,
    page: params.page,
    pages,
    prevHref: params.page > 1 ? href({ page: String(params.page - 1) }) : null,
    nextHref: params.page < pages ? href({ page: String(params.page + 1) }) : null,
    clearHref: anyFilter ? href({ type: null, organizationType: null, lang: null, year: null, page: null }) : null,
    suggestionHref: (term: string) => href({ q: term, page: null }),
  };
}
