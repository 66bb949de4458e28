import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';
import { buildOpenApi } from '~/lib/http/openapi';
import { apiRoutes } from '~/lib/http/routes';

export const GET: APIRoute = () =>
  new Response(JSON.stringify(buildOpenApi(apiRoutes, publicOrigin()), null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
