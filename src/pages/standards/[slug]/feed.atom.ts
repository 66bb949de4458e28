import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';
import { getDb } from '@db/client';
import { openForCommentFeed } from '~/lib/standards/feed';

/** One industry body's drafts open for public comment. */
export const GET: APIRoute = ({ url, params }) => {
  const feed = openForCommentFeed(getDb(), publicOrigin(), url.searchParams.get('lang') === 'en' ? 'en' : 'zh-cn', params.slug);
  if (feed === null) return new Response('Not found', { status: 404 });
  return new Response(feed, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=300' } });
};
