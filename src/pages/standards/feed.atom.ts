import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';
import { getDb } from '@db/client';
import { openForCommentFeed } from '~/lib/standards/feed';

/** Drafts open for public comment, all bodies; `?lang=en` gives English titles and links. */
export const GET: APIRoute = ({ url }) =>
  new Response(openForCommentFeed(getDb(), publicOrigin(), url.searchParams.get('lang') === 'en' ? 'en' : 'zh-cn'), {
    headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
