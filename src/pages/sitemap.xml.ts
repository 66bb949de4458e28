import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';
import { getDb } from '@db/client';
import { publicPaths, renderSitemap } from '~/lib/sitemap/sitemap';

export const GET: APIRoute = () =>
  new Response(renderSitemap(publicOrigin(), publicPaths(getDb())), {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=600' },
  });
