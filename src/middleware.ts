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
import { LANG_COOKIE, langFromPath, localizePath, preferredLang } from '~/i18n';
import { SECURITY_HEADERS } from '~/lib/http/security-headers';
import { applyResponsePolicy } from '~/lib/http/response-policy';

export function isSecure(request: Request, url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return process.env.TRUST_PROXY === '1' && request.headers.get('x-forwarded-proto') === 'https';
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** The check Astro's `security.checkOrigin` makes: unsafe methods need a same-origin Origin header. */
function isCrossSiteWrite(request: Request, url: URL): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
  if (request.headers.get('origin') === url.origin) return false;
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
  const bearer = readBearerToken(request.headers.get('authorization'));
  // Astro's checkOrigin, except for bearer-token calls: a browser never adds that header by
  // itself, so they cannot be forged cross-site, and API clients (curl, multipart uploads) send no Origin.
  if (!bearer && isCrossSiteWrite(request, url)) {
    return new Response(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
  }
  const cookieToken = cookies.get(SESSION_COOKIE)?.value;
  const token = bearer ?? cookieToken;
  if (token) {
    const session = await validateSessionToken(getDb(), token);
    if (session) {
      locals.user = session.user;
      locals.sessionToken = session.token;
      if (!bearer && session.fresh) {
        const c = sessionCookie(session.token, session.expiresAt, { secure });
        cookies.set(c.name, c.value, c.options);
      }
    } else if (!bearer) {
      const c = blankSessionCookie({ secure });
      cookies.set(c.name, c.value, c.options);
    }
  }

  // A first visit to a Chinese page by a browser that prefers English goes to the English page.
  const isPage = request.method === 'GET' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/_');
  if (isPage && locals.lang === 'zh-cn' && !cookies.has(LANG_COOKIE) && request.headers.get('accept')?.includes('text/html')) {
    cookies.set(LANG_COOKIE, 'seen', { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
    if (preferredLang(request.headers.get('accept-language')) === 'en') {
      return ctx.redirect(localizePath(url.pathname, 'en') + url.search, 302);
    }
  }

  const response = await applyResponsePolicy(ctx, await next(), secure);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
});
