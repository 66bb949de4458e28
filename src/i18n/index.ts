/**
 * UI language: Chinese at `/`, English under `/en/`. Every UI string lives in a dictionary in
 * `dict/`, one file per domain, each with the same keys in both languages (a test checks).
 */
import { dictionaries } from './dict';

export const LANGS = ['zh-cn', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_COOKIE = 'portal_lang_seen';

/** The value for the HTML `lang` attribute. */
export const htmlLang = (lang: Lang) => (lang === 'en' ? 'en' : 'zh-CN');

export function langFromPath(pathname: string): Lang {
  return pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'zh-cn';
}

/** True when the `[...lang]` route parameter names a language we serve. */
export function isLangParam(param: string | undefined): boolean {
  return param === undefined || param === 'en';
}

/** The path without its language prefix. */
export function stripLang(pathname: string): string {
  if (pathname === '/en') return '/';
  return pathname.startsWith('/en/') ? pathname.slice(3) : pathname;
}

/** The same page in another language: `/courses/3` ↔ `/en/courses/3`. */
export function localizePath(pathname: string, lang: Lang): string {
  const bare = stripLang(pathname);
  if (lang === 'zh-cn') return bare;
  return bare === '/' ? '/en/' : `/en${bare}`;
}

/** Picks a language from an Accept-Language header by quality. */
export function preferredLang(header: string | null): Lang {
  if (!header) return 'zh-cn';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-cn';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-cn';
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * A translator for one language. Unknown keys come back as the key, so they are easy to spot.
 * A number given as `count` picks the key's plural form when the dictionary has them
 * (`key.one`, `key.other`: "1 result", "2 results").
 */
export function useTranslations(lang: Lang): Translate {
  return (key, vars) => {
    const form = typeof vars?.count === 'number' ? pluralForm(lang, key, vars.count) : key;
    let text = dictionaries[lang][form] ?? dictionaries['zh-cn'][form] ?? key;
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

const plurals = new Map<Lang, Intl.PluralRules>();

function pluralForm(lang: Lang, key: string, count: number): string {
  if (dictionaries[lang][key] !== undefined) return key;
  let rules = plurals.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang === 'en' ? 'en' : 'zh-CN');
    plurals.set(lang, rules);
  }
  const form = `${key}.${rules.select(count)}`;
  return dictionaries[lang][form] !== undefined ? form : `${key}.other`;
}

/** A count with its noun in the language's plural form: `formatCount('en', 'common.results', 1)` is "1 result". */
export function formatCount(lang: Lang, key: string, count: number, vars: Record<string, string | number> = {}): string {
  return useTranslations(lang)(key, { ...vars, count });
}

/** Picks the user-content field in the UI language, falling back to the other one. */
export function pick(lang: Lang, en: string | null | undefined, zh: string | null | undefined): string {
  return (lang === 'en' ? en || zh : zh || en) ?? '';
}

const formats = new Map<string, Intl.DateTimeFormat>();

const DATE: Intl.DateTimeFormatOptions = { dateStyle: 'medium' };
// Not `timeStyle` with `dateStyle`: zh-CN then writes 2026/12/26 instead of 2026年12月26日.
const DATETIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const STYLES = { date: DATE, datetime: DATETIME, time: TIME, day: DAY };

function dateFormat(lang: Lang, style: keyof typeof STYLES, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang}|${style}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { ...STYLES[style], timeZone });
    formats.set(key, format);
  }
  return format;
}

/** The one date formatter: dates shown in Shanghai time unless another zone is given. */
export function formatDate(
  lang: Lang,
  value: Date | number | string,
  style: 'date' | 'datetime' = 'date',
  timeZone = 'Asia/Shanghai',
): string {
  return dateFormat(lang, style, timeZone).format(new Date(value));
}

const shanghaiDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day in Shanghai as YYYY-MM-DD, for dates that machines read (citation meta tags,
 * BibTeX, RIS, CSL): one day for one instant in every format, never the UTC day.
 */
export function shanghaiDay(value: Date | number | string): string {
  return shanghaiDayFormat.format(new Date(value));
}

/**
 * A span of time: on one day the date is written once ("26 Dec 2026, 09:00–17:00",
 * "2026年12月26日 09:00–17:00"), across days both ends in full. Composed from the formatters
 * above rather than `formatRange`, whose Chinese interval pattern falls back to 2026/12/26 and
 * whose separators are thin spaces, so a range reads like every other date on the page.
 */
export function formatDateRange(lang: Lang, start: Date | number | string, end: Date | number | string, timeZone = 'Asia/Shanghai'): string {
  const from = new Date(start);
  const to = new Date(end);
  const full = dateFormat(lang, 'datetime', timeZone);
  const day = dateFormat(lang, 'day', timeZone);
  if (day.format(from) !== day.format(to)) return `${full.format(from)} – ${full.format(to)}`;
  return `${full.format(from)}–${dateFormat(lang, 'time', timeZone).format(to)}`;
}

const lists = new Map<Lang, Intl.ListFormat>();

/** Items joined as each language writes a list: "中文、英文", "Chinese, English". */
export function formatList(lang: Lang, items: readonly string[]): string {
  let format = lists.get(lang);
  if (!format) {
    format = new Intl.ListFormat(lang === 'en' ? 'en' : 'zh-CN', { type: 'conjunction', style: 'narrow' });
    lists.set(lang, format);
  }
  return format.format(items);
}

