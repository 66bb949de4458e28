/**
 * What src/middleware.ts adds to every answer after the security headers' list: who may keep a
 * copy (`Cache-Control`), HSTS over https, and 405 with `Allow` for a method an API route does not
 * export (Astro answers those 404). src/cli/serve.mjs does the same for what never reaches Astro.
 */
import type { APIContext } from 'astro';

export const PRIVATE_CACHE = 'private, no-store';
export const HSTS = 'max-age=31536000; includeSubDomains';

/** Routes whose answers are someone's own, signed in or not (a 401 is no one's to cache either). */
const PERSONAL = [
  '/api/v1/me', '/api/v1/settlement', '/api/v1/notifications', '/api/v1/account', '/api/v1/admin', '/api/v1/auth', '/api/v1/invitations',
  '/settlement', '/notifications', '/account', '/admin', '/my',
  // pages that carry a single-use token in their address
  '/verify-email', '/invitations', '/reset-password',
];

/**
 * Public reference under a personal prefix: the same for everyone (issue 17 lets the page cache keep
 * them). The estimator only without answers: answers in its address stay out of any cache.
 */
const PUBLIC_UNDER_PERSONAL = ['/settlement/routes', '/api/v1/settlement/routes', '/api/v1/settlement/rules', '/api/v1/settlement/reason-codes'];

export function isPersonalPath(pathname: string, search = ''): boolean {
  const path = pathname === '/en' || pathname.startsWith('/en/') ? pathname.slice(3) : pathname;
  if (path === '/settlement/estimate' && search === '') return false;
  if (PUBLIC_UNDER_PERSONAL.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  return PERSONAL.some((p) => path === p || path.startsWith(`${p}/`) || (p === '/api/v1/me' && path.startsWith(p)));
}

const siteIsHttps = () => /^https:/i.test(process.env.SITE_URL?.trim() ?? '');

/** The API route files by their route pattern ("/api/v1/courses/[id]"), loaded only when asked. */
const apiModules = Object.fromEntries(
  Object.entries(import.meta.glob<Record<string, unknown>>('/src/pages/api/**/*.ts')).map(([file, load]) => [
    file.replace(/^\/src\/pages/, '').replace(/(\/index)?\.ts$/, ''),
    load,
  ]),
);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `Allow` for an API route that does not export the request's method; null when it does (or is no API route). */
async function allowedInstead(ctx: APIContext): Promise<string | null> {
  const load = apiModules[ctx.routePattern];
  if (!load) return null;
  const exported = Object.keys(await load());
  if (exported.includes('ALL')) return null;
  const allowed = METHODS.filter((m) => exported.includes(m) || (m === 'HEAD' && exported.includes('GET')));
  return allowed.includes(ctx.request.method) ? null : allowed.join(', ');
}

export async function applyResponsePolicy(ctx: APIContext, response: Response, secure: boolean): Promise<Response> {
  if (response.status === 404 && response.body === null && ctx.url.pathname.startsWith('/api/')) {
    const allow = await allowedInstead(ctx);
    if (allow !== null) {
      const body = { error: { code: 'method_not_allowed', message: `This address takes ${allow} only.` } };
      response = new Response(JSON.stringify(body), { status: 405, headers: { allow, 'content-type': 'application/json; charset=utf-8' } });
    }
  }
  if (ctx.locals.user || isPersonalPath(ctx.url.pathname, ctx.url.search)) response.headers.set('cache-control', PRIVATE_CACHE);
  if (secure || siteIsHttps()) response.headers.set('strict-transport-security', HSTS);
  return response;
}
