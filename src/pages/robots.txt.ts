import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';

/** Crawl the public site; keep out of accounts, admin, settlement cases and the API's writes. */
export const GET: APIRoute = () =>
  new Response(
    [
      'User-agent: *',
      'Disallow: /admin',
      'Disallow: /en/admin',
      'Disallow: /account',
      'Disallow: /en/account',
      'Disallow: /settlement/applications',
      'Disallow: /en/settlement/applications',
      'Disallow: /settlement/queue',
      'Disallow: /en/settlement/queue',
      'Disallow: /settlement/cases',
      'Disallow: /en/settlement/cases',
      'Disallow: /my',
      'Disallow: /en/my',
      `Sitemap: ${publicOrigin()}/sitemap.xml`,
      '',
    ].join('\n'),
    { headers: { 'content-type': 'text/plain; charset=utf-8' } },
  );
