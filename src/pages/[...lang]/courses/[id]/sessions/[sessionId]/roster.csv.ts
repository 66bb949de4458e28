/** The roster as CSV (UTF-8 with a byte-order mark so Excel shows Chinese names), for providers. */
import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { rosterCsv, rosterPage } from '~/lib/courses/queries';

export const GET: APIRoute = ({ params, locals }) => {
  if (params.lang !== undefined && params.lang !== 'en') return new Response(null, { status: 404 });
  const sessionId = Number(params.sessionId);
  const roster = locals.user && Number.isSafeInteger(sessionId) && sessionId > 0 ? rosterPage(getDb(), locals.user, Number(params.id), sessionId) : null;
  if (!roster) return new Response('Not found', { status: 404 });
  return new Response(rosterCsv(roster), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="roster-session-${sessionId}.csv"`, 'cache-control': 'private, no-store' },
  });
};
