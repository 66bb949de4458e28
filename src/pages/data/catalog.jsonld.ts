import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { catalogJsonLd } from '~/lib/data/catalog';
import { allFigures } from '~/lib/data/figures';
import { publicOrigin } from '~/lib/http/origin';

/** The DCAT catalogue of every dataset. */
export const GET: APIRoute = () =>
  new Response(JSON.stringify(catalogJsonLd(allFigures(getDb()), publicOrigin())), {
    headers: { 'content-type': 'application/ld+json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' },
  });
