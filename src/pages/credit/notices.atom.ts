import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { noticesFeed } from '~/lib/credit/notice';
import { publicOrigin } from '~/lib/http/origin';

/** Grades on public notice now; `?lang=en` gives English titles and links. */
export const GET: APIRoute = ({ url }) =>
  new Response(noticesFeed(getDb(), publicOrigin(), url.searchParams.get('lang') === 'en' ? 'en' : 'zh-cn'), {
    headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
