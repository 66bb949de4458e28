/** Establishes who is asking and in which language; nothing else. */
import { defineMiddleware } from 'astro:middleware';
import { getDb } from '@db/client';
import {
  SESSION_COOKIE,
  blankSessionCookie,
  readBearerToken,
  sessionCookie,
  validateSessionToken,
} from '~/lib/auth/sessions';
import { rememberLanguage } from '~/lib/accounts/language';
import { LANG_COOKIE, langFromPath, localizePath, preferredLang } from '~/i18n';
import { SECURITY_HEADERS } from '~/lib/http/security-headers';
import { applyResponsePolicy, isPersonalPath } from '~/lib/http/response-policy';
import { databaseGeneration, onlyLanguageCookie, pageCacheEnabled, reportCache, sharedAnswer } from '~/lib/http/page-cache';
import { trustedOrigins, trustedProxyHops } from '~/lib/http/deployment.mjs';
import { ifNoneMatchHits, notModified } from '~/lib/http/conditional';

export function isSecure(request: Request, url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return trustedProxyHops() > 0 && request.headers.get('x-forwarded-proto') === 'https';
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * The check Astro's `security.checkOrigin` makes (unsafe methods need a same-origin Origin
 * header), against the configured site (SITE_URL, ALLOWED_HOSTS), never the request's own Host:
 * a forged Host with a matching Origin is still another site.
 */
function isCrossSiteWrite(request: Request): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
  const origin = request.headers.get('origin');
  if (origin !== null && trustedOrigins().has(origin)) return false;
  const type = request.headers.get('content-type');
  if (type === null) return true;
  return FORM_TYPES.some((t) => type.toLowerCase().includes(t));
}

export const onRequest = defineMiddleware(async (ctx, next) => {
  const { url, request, cookies, locals } = ctx;
  locals.lang = langFromPath(url.pathname);
  locals.user = null;
  locals.sessionToken = null;

  const secure = isSecure(request, url);
  // A request carrying a bearer token is authenticated by it alone (never by the cookie beside
  // it), valid or not. Only a valid one skips the origin check: a browser never adds that header
  // by itself, so such calls cannot be forged cross-site, and API clients (curl, multipart
  // uploads) send no Origin. An unknown bearer gets the check like any other request.
  const bearer = readBearerToken(request.headers.get('authorization'));
  const bearerSession = bearer ? await validateSessionToken(getDb(), bearer) : null;
  if (!bearerSession && isCrossSiteWrite(request)) {
    return new Response(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
  }
  const cookieToken = bearer ? undefined : cookies.get(SESSION_COOKIE)?.value;
  const session = bearerSession ?? (cookieToken ? await validateSessionToken(getDb(), cookieToken) : null);
  if (session) {
    locals.user = session.user;
    locals.sessionToken = session.token;
    if (cookieToken && session.fresh) {
      const c = sessionCookie(session.token, session.expiresAt, { secure });
      cookies.set(c.name, c.value, c.options);
    }
  } else if (cookieToken) {
    const c = blankSessionCookie({ secure });
    cookies.set(c.name, c.value, c.options);
  }

  // A first visit to a Chinese page by a browser that prefers English goes to the English page.
  const isPage = request.method === 'GET' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/_');
  let setsCookie = false;
  if (isPage && locals.lang === 'zh-cn' && !cookies.has(LANG_COOKIE) && request.headers.get('accept')?.includes('text/html')) {
    setsCookie = true;
    cookies.set(LANG_COOKIE, 'seen', { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
    if (preferredLang(request.headers.get('accept-language')) === 'en') {
      return ctx.redirect(localizePath(url.pathname, 'en') + url.search, 302);
    }
  }

  // Notices and mail are written in the language a person last used the pages in, in a browser
  // (signed in by cookie; a bearer token is an API client, whatever it fetches).
  if (isPage && cookieToken && locals.user && locals.user.locale !== locals.lang) {
    rememberLanguage(getDb(), locals.user.id, locals.lang);
    locals.user.locale = locals.lang;
  }

  // What every anonymous reader gets alike is made once per state of the database (src/lib/http/page-cache.ts).
  let answer: Response;
  const notShared = request.method !== 'GET' ? 'method' : bearer || cookieToken ? 'signed in' : setsCookie ? 'sets the language cookie' : !onlyLanguageCookie(request.headers.get('cookie')) ? 'cookies' : isPersonalPath(url.pathname, url.search) ? 'personal path' : !pageCacheEnabled() ? 'off' : null;
  if (notShared === null) {
    const db = getDb();
    const before = databaseGeneration(db);
    // keyed by path and query, not host: pages take their links from SITE_URL, never from the request
    answer = await sharedAnswer(url.pathname + url.search, before, () => databaseGeneration(db), () => next());
  } else {
    answer = reportCache(await next(), `not kept: ${notShared}`);
  }
  const response = await applyResponsePolicy(ctx, answer, secure);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  // A shared answer the reader already holds: its headers, no body (as serve.mjs answers a kept one).
  const etag = notShared === null && response.status === 200 ? response.headers.get('etag') : null;
  if (etag !== null && ifNoneMatchHits(request.headers.get('if-none-match'), etag)) return notModified(response);
  return response;
});
