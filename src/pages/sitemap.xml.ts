import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { publicPaths, renderSitemap } from '~/lib/sitemap/sitemap';

export const GET: APIRoute = ({ url }) =>
  new Response(renderSitemap(url.origin, publicPaths(getDb())), {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=600' },
  });
