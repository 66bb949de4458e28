/** A user's personal feed of their sessions; the unguessable token in the address is the only key. */
import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';
import { getDb } from '@db/client';
import { calendarSessions, userForCalendarToken } from '~/lib/courses/queries';
import { sessionsToIcs } from '~/lib/courses/ics';

export const GET: APIRoute = ({ params }) => {
  const db = getDb();
  const userId = userForCalendarToken(db, params.token ?? '');
  if (!userId) return new Response('Not found', { status: 404 });
  const body = sessionsToIcs(calendarSessions(db, { userId }), { origin: publicOrigin(), calendarName: 'My courses · 我的课程' });
  return new Response(body, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' } });
};
