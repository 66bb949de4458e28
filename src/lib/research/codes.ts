/**
 * Country (ISO 3166-1 alpha-2) and currency (ISO 4217) codes, checked against the ICU data that
 * ships with Node rather than a hand-kept list.
 */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
/** Codes ICU names that are not ISO 3166-1 countries (groupings, user-assigned ones). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'XK', 'ZZ']);

export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  try {
    return regionNames.of(code) !== code;
  } catch {
    return false;
  }
}

/** Intl objects are costly to build (ICU data lookups), so each is built once per locale and options. */
function once<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = build()));
  return value;
}
const displayNames = new Map<string, Intl.DisplayNames>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function countryName(code: string, lang: 'zh-cn' | 'en'): string {
  try {
    return once(displayNames, lang, () => new Intl.DisplayNames([lang === 'en' ? 'en' : 'zh-CN'], { type: 'region' })).of(code) ?? code;
  } catch {
    return code;
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (code: string) => /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);

/** Digits after the decimal point in a currency's minor unit (CNY 2, JPY 0, BHD 3). */
export function minorUnitDigits(currency: string): number {
  return once(numberFormats, `en|${currency}`, () => new Intl.NumberFormat('en', { style: 'currency', currency })).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units shown in the UI language: 250000000 CNY → ¥2,500,000.00. */
export function formatMoney(lang: 'zh-cn' | 'en', amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return once(numberFormats, `${lang}|${currency}`, () => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { style: 'currency', currency })).format(amountMinor / 10 ** digits);
}

/** "2500000.50" in CNY → 250000050; null when the text is not an amount with at most the currency's digits. */
export function parseMajorAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.replace(/[,\s]/g, ''));
  if (!m || (m[2]?.length ?? 0) > digits) return null;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
}
