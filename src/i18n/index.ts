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

/** A translator for one language. Unknown keys come back as the key, so they are easy to spot. */
export function useTranslations(lang: Lang): Translate {
  return (key, vars) => {
    let text = dictionaries[lang][key] ?? dictionaries['zh-cn'][key] ?? key;
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}

/** Picks the user-content field in the UI language, falling back to the other one. */
export function pick(lang: Lang, en: string | null | undefined, zh: string | null | undefined): string {
  return (lang === 'en' ? en || zh : zh || en) ?? '';
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The one date formatter: dates shown in Shanghai time unless another zone is given. */
export function formatDate(
  lang: Lang,
  value: Date | number | string,
  style: 'date' | 'datetime' = 'date',
  timeZone = 'Asia/Shanghai',
): string {
  const key = `${lang}|${style}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      dateStyle: 'medium',
      ...(style === 'datetime' ? { timeStyle: 'short' } : {}),
      timeZone,
    });
    dateFormats.set(key, format);
  }
  return format.format(new Date(value));
}
