/**
 * Conditional GETs (RFC 9110 §13.1.2): a reader that already holds an answer names its entity tag
 * in If-None-Match, and gets 304 with headers only when the tag still names the current answer.
 * Used by the credit badge and by the anonymous page cache for every kept answer that has an ETag
 * (src/lib/http/page-cache.ts), on both its paths (src/cli/serve.mjs directly, and the middleware).
 */

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Whether If-None-Match names `etag`: `*`, or one tag of its comma-separated list, compared weakly
 * (as §13.1.2 asks for If-None-Match: `W/"x"` and `"x"` match each other).
 */
export function ifNoneMatchHits(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const mine = opaque(etag);
  return header.split(',').some((t) => opaque(t) === mine);
}

/**
 * Headers a 304 leaves out: those describing the body it does not carry (§15.4.5 keeps Cache-Control,
 * ETag, Expires, Vary, Content-Location and whatever else guides caches, such as the security headers).
 */
const BODY_HEADERS = new Set(['content-length', 'content-type', 'content-encoding', 'content-language', 'content-disposition', 'transfer-encoding']);

/** The headers of a 304 for an answer with these headers. */
export function notModifiedHeaders(headers: Iterable<[string, string]>): [string, string][] {
  return [...headers].filter(([name]) => !BODY_HEADERS.has(name.toLowerCase()));
}

/** A 304 in place of `response` (a 200 with an ETag that If-None-Match names); its body is never read. */
export function notModified(response: Response): Response {
  void response.body?.cancel();
  return new Response(null, { status: 304, headers: notModifiedHeaders(response.headers) });
}
