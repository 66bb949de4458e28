import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { badgeReply } from '~/lib/credit/badge';
import { toResponse } from '~/lib/http/api';

/**
 * The embeddable badge. src/cli/serve.mjs answers GET itself (src/direct-routes.ts); this route
 * serves HEAD, `astro dev` and addresses that differ by a trailing slash, with the same function.
 */
export const GET: APIRoute = ({ params, url, request }) =>
  toResponse(
    badgeReply(getDb(), params.number ?? '', {
      langParam: url.searchParams.get('lang'),
      acceptLanguage: request.headers.get('accept-language'),
      ifNoneMatch: request.headers.get('if-none-match'),
    }),
  );
