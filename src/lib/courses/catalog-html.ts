/**
 * The catalog's filter form and result list as one HTML string, cached per (language, query) with
 * the catalog data. The catalog is the portal's busiest page; rendering 20 cards through Astro
 * components cost more than everything else on the request (tests/bench/courses.results.md).
 * Every interpolated value goes through `esc`.
 */
import { COURSE_CATEGORIES, COURSE_LANGUAGES, COURSE_MODES } from '@db/schema';
import { formatDate, localizePath, pick, useTranslations, type Lang } from '~/i18n';
import type { DbOrTx } from '@db/client';
import { cachedCatalog } from './catalog-cache';
import type { SessionUser } from '~/lib/auth/sessions';
import { catalogScope, listCourses, providerName, type CourseView } from './queries';
import { COURSE_SORTS, courseListQuery, type CourseListQuery } from './schemas';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);

const FILTER_KEYS = ['category', 'language', 'mode', 'provider', 'price', 'startsWithin', 'sort'] as const;

function card(lang: Lang, t: ReturnType<typeof useTranslations>, c: CourseView): string {
  const price = c.priceCny === 0 ? t('courses.price.free') : t('courses.price.amount', { amount: c.priceCny });
  const badges = [t(`courses.category.${c.category}`), t(`courses.mode.${c.mode}`), ...c.languages.map((l) => t(`courses.lang.${l}`)), price];
  const start = c.nextStartsAt ? t('courses.nextStart', { date: formatDate(lang, c.nextStartsAt, 'date') }) : t('courses.noSessions');
  return `<li class="card"><h2><a href="${esc(localizePath(`/courses/${c.id}`, lang))}">${esc(pick(lang, c.title, c.titleZh))}</a></h2>`
    + `<p class="muted">${esc(c.providers.map((p) => pick(lang, p.name, p.nameZh)).join(' · '))}</p>`
    + `<p>${esc(pick(lang, c.summary, c.summaryZh))}</p>`
    + `<p class="muted">${badges.map((b) => `<span class="badge">${esc(b)}</span>`).join(' ')} ${esc(start)}</p></li>`;
}

function select(name: string, label: string, options: [string, string][], value: unknown): string {
  const current = value === undefined ? '' : String(value);
  return `<div class="field"><label for="filter-${name}">${esc(label)}</label><select id="filter-${name}" name="${name}">`
    + options.map(([v, l]) => `<option value="${esc(v)}"${v === current ? ' selected' : ''}>${esc(l)}</option>`).join('')
    + '</select></div>';
}

/** Filters, result count, list and pagination for a catalog URL's query string in one language. */
export function catalogHtml(db: DbOrTx, user: SessionUser | null, lang: Lang, search: URLSearchParams): string {
  // Keyed by the raw query string: a cache hit skips even the parsing.
  return cachedCatalog(db, `html|${lang}|${catalogScope(user)}|${search}`, () => {
    const q: CourseListQuery = courseListQuery.parse(Object.fromEntries([...search].filter(([, v]) => v !== '')));
    const t = useTranslations(lang);
    const { items, total, page, perPage } = listCourses(db, user, q, { providerByName: true });
    const any: [string, string] = ['', t('courses.filter.any')];
    const base = localizePath('/courses', lang);
    const pages = Math.max(1, Math.ceil(total / perPage));
    const pageHref = (p: number) => {
      const params = new URLSearchParams();
      for (const key of FILTER_KEYS) {
        const v = q[key];
        if (v !== undefined && !(key === 'sort' && v === 'soonest')) params.set(key, String(v));
      }
      if (q.perPage !== 20) params.set('perPage', String(q.perPage));
      if (p > 1) params.set('page', String(p));
      return base + (params.size ? `?${params}` : '');
    };
    const filters = [
      select('category', t('courses.filter.category'), [any, ...COURSE_CATEGORIES.map((c): [string, string] => [c, t(`courses.category.${c}`)])], q.category),
      select('language', t('courses.filter.language'), [any, ...COURSE_LANGUAGES.map((c): [string, string] => [c, t(`courses.lang.${c}`)])], q.language),
      select('mode', t('courses.filter.mode'), [any, ...COURSE_MODES.map((c): [string, string] => [c, t(`courses.mode.${c}`)])], q.mode),
      // a search box, not thousands of <option>s (issue 17); a slug from a link shows as the provider's name
      `<div class="field"><label for="filter-provider">${esc(t('courses.filter.provider'))}</label><input id="filter-provider" name="provider" type="search" maxlength="100" value="${esc(q.provider ? (providerName(db, lang, q.provider) ?? q.provider) : '')}" aria-describedby="filter-provider-hint" /><span class="hint" id="filter-provider-hint">${esc(t('courses.filter.providerHint'))}</span></div>`,
      select('price', t('courses.filter.price'), [any, ['free', t('courses.price.free')], ['paid', t('courses.price.paid')]], q.price),
      select('startsWithin', t('courses.filter.startsWithin'), [any, ['7', t('courses.filter.within7')], ['30', t('courses.filter.within30')], ['90', t('courses.filter.within90')]], q.startsWithin),
      select('sort', t('courses.filter.sort'), COURSE_SORTS.map((s): [string, string] => [s, t(`courses.sort.${s}`)]), q.sort),
    ];
    const list = items.length === 0 ? `<p>${esc(t('courses.catalog.empty'))}</p>` : `<ul class="card-list" data-testid="course-list">${items.map((c) => card(lang, t, c)).join('')}</ul>`;
    const nav = pages > 1
      ? `<nav class="pagination" aria-label="${esc(t('common.page', { page, pages }))}">`
        + (page > 1 ? `<a href="${esc(pageHref(page - 1))}" rel="prev">${esc(t('common.previous'))}</a>` : '')
        + `<span>${esc(t('common.page', { page, pages }))}</span>`
        + (page < pages ? `<a href="${esc(pageHref(page + 1))}" rel="next">${esc(t('common.next'))}</a>` : '')
        + '</nav>'
      : '';
    return `<form method="get" action="${esc(base)}" class="filters" aria-label="${esc(t('common.filter'))}">${filters.join('')}<div><button type="submit">${esc(t('courses.filter.apply'))}</button></div></form>`
      + `<p class="muted" role="status">${esc(t('common.results', { count: total }))}</p>${list}${nav}`;
  });
}
