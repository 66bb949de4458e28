// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\tevil.example` or
// `/\evil.example` lands on another site; other control characters make an invalid Location header.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BASE = 'http://same-site.invalid';

/**
 * A redirect target from a request (`?next=`, a form's `next`), kept on this site: a path that
 * starts with a single `/`, with no control characters or backslashes, raw or percent-encoded.
 * Anything else gives `fallback`. The path comes back normalized (percent-encoded), so it is
 * always a valid Location header.
 */
export function safeNext(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/')) return fallback;
  for (const form of [value, percentDecoded(value)]) {
    if (CONTROL.test(form) || form.includes('\\') || form.startsWith('//')) return fallback;
  }
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return fallback;
  return url.pathname + url.search + url.hash;
}

/** `value` percent-decoded; where that is malformed (`100%`), at least its ASCII escapes, which are what the checks look for. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}
