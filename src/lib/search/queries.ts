/** Reads for the search page and the API. */
import type { Db } from '@db/client';
import { editDistance } from './analyze';
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
 * The query with each misspelt Latin word replaced by the nearest suggested term, or null when no
 * word has a close enough one ("logisitcs" → "logistics"). Chinese words are left as typed.
 */
export function correctedQuery(q: string, suggestions: string[]): string | null {
  let changed = false;
  const words = q.split(/\s+/).filter(Boolean).map((word) => {
    const folded = word.toLowerCase();
    if (!/^[a-z]{3,}$/.test(folded) || suggestions.includes(folded)) return word;
    const budget = folded.length >= 6 ? 3 : 2;
    let best: [string, number] | null = null;
    for (const s of suggestions) {
      if (!/^[a-z-]+$/.test(s)) continue;
      const d = editDistance(folded, s, budget);
      if (d <= budget && (!best || d < best[1])) best = [s, d];
    }
    if (!best) return word;
    changed = true;
    return best[0];
  });
  return changed ? words.join(' ') : null;
}

/** The page's facet parameters, whether a form sent them repeated (`type=a&type=b`) or joined (`type=a,b`). */
function normalizedParams(url: URL): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out.set(key, (Object.values(FACET_PARAMS) as string[]).includes(key) ? values.flatMap((v) => v.split(',')).filter(Boolean).join(',') : values.at(-1)!);
  }
  for (const p of Object.values(FACET_PARAMS)) if (out.get(p) === '') out.delete(p);
  return out;
}

/**
 * Everything the /search page shows, from its URL: the results, and for each facet value whether
 * it is chosen (values of one facet combine with OR, facets with AND). When nothing matches a
 * misspelt query, the results are those of the corrected one, with a link to search for exactly
 * what was typed (`asTyped=1`).
 */
export async function searchPage(db: Db, url: URL) {
  const base = normalizedParams(url);
  const raw = Object.fromEntries(base);
  const parsed = searchParams.safeParse(raw);
  let params = parsed.success ? parsed.data : searchParams.parse({ q: String(raw.q ?? '').slice(0, MAX_QUERY_LENGTH) });
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? null);
  let result = params.q ? await runSearch(db, params) : null;
  let correction: { from: string; to: string; asTypedHref: string } | null = null;
  if (result && result.total === 0 && result.suggestions?.length && base.get('asTyped') !== '1') {
    const to = correctedQuery(params.q, result.suggestions);
    const again = to ? await runSearch(db, { ...params, q: to }) : null;
    if (to && again && again.total > 0) {
      const asTyped = new URLSearchParams(base);
      asTyped.set('asTyped', '1');
      asTyped.delete('page');
      correction = { from: params.q, to, asTypedHref: `${url.pathname}?${asTyped}` };
      params = { ...params, q: to };
      result = again;
      base.set('q', to);
    }
  }
  base.delete('asTyped');
  const current = (name: FacetName) => (base.get(FACET_PARAMS[name]) ?? '').split(',').filter(Boolean);
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(base);
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
      param: FACET_PARAMS[name],
      values: values.map((value) => ({ value, count: counts[value] ?? 0, on: selected.includes(value) })),
    };
  });
  const pages = result ? Math.min(100, Math.max(1, Math.ceil(result.total / params.perPage))) : 1;
  const anyFilter = (Object.values(FACET_PARAMS) as string[]).some((p) => base.get(p));
  return {
    q: params.q,
    perPage: base.get('perPage'),
    error,
    result,
    correction,
    facets,
    anyFilter,
    page: params.page,
    pages,
    prevHref: params.page > 1 ? href({ page: String(params.page - 1) }) : null,
    nextHref: params.page < pages ? href({ page: String(params.page + 1) }) : null,
    clearHref: anyFilter ? href({ type: null, organizationType: null, lang: null, year: null, page: null }) : null,
    suggestionHref: (term: string) => href({ q: term, page: null }),
  };
}
