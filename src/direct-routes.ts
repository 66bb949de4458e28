/**
 * Public JSON reads that src/cli/serve.mjs answers itself, skipping Astro's request pipeline.
 *
 * The pipeline (a WHATWG Request built from the Node request, route matching, middleware, the
 * page module's dynamic import, a Response read back through a stream) costs about as much CPU
 * as a search itself; for the search API, the hottest public route, it halved throughput. These
 * reads need no session and no cookies, so the middleware has nothing to add but the security
 * headers, which serve.mjs adds from the same list. Their Astro routes serve the same functions,
 * for `astro dev` and for addresses that differ only by a trailing slash.
 *
 * Built to dist/server/direct-routes.mjs by the plugin in astro.config.mjs, in the same build as
 * the pages, so both share one database connection and one search index cache.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonReply, PublicRead } from '~/lib/http/api';
import { badgeRead } from '~/lib/credit/badge';
import { SECURITY_HEADERS } from '~/lib/http/security-headers';
import { keptForDirect, onlyLanguageCookie } from '~/lib/http/page-cache';
import { langFromPath } from '~/i18n';
import { getDb } from '@db/client';
import { searchRead, suggestRead } from '~/lib/search/routes';

export const routes: Record<string, PublicRead> = {
  '/api/v1/search': searchRead,
  '/api/v1/search/suggest': suggestRead,
};

/**
 * Public GETs whose address carries a parameter, matched in order by pattern; they also see the
 * request's headers (the credit badge answers If-None-Match with 304 and reads Accept-Language).
 */
export interface PatternRoute {
  pattern: RegExp;
  read: (match: RegExpExecArray, params: URLSearchParams, headers: IncomingHttpHeaders) => JsonReply | Promise<JsonReply>;
}

export const patternRoutes: PatternRoute[] = [{ pattern: /^\/credit\/([^/]+)\/badge\.svg$/, read: badgeRead }];

export const securityHeaders = SECURITY_HEADERS;

/**
 * A whole page or public answer kept for anonymous readers (src/lib/http/page-cache.ts), when this
 * GET is one the middleware would answer from the cache: no Authorization header, no cookie but the
 * language one, and not a Chinese page's first visit by a browser (which the middleware may send to
 * the English page and gives the language cookie). Null: through Astro, as before. A kept answer
 * with an ETag that If-None-Match names comes back as a 304 without a body.
 */
export function keptPage(rawUrl: string, headers: IncomingHttpHeaders) {
  if (headers.authorization !== undefined || !onlyLanguageCookie(headers.cookie)) return null;
  // appended, not resolved: `//x/y` must stay a path (resolved, it would be the host x's `/y`)
  let url: URL;
  try {
    url = new URL(`http://portal.invalid${rawUrl.startsWith('/') ? '' : '/'}${rawUrl}`);
  } catch {
    return null;
  }
  const page = !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/_');
  if (page && !headers.cookie && langFromPath(url.pathname) === 'zh-cn' && headers.accept?.includes('text/html')) return null;
  return keptForDirect(url.pathname + url.search, getDb(), headers['if-none-match']);
}

/** Started by serve.mjs in each worker, sharing the pages' database connection. */
export { startMailDelivery } from '~/lib/mail/delivery';
/** Called by serve.mjs once its last request has finished. */
export { releaseResources } from '~/lib/shutdown';
export { startEmbargoSchedule } from '~/lib/research/embargo';
export { startCreditSchedule } from '~/lib/credit/schedule';
