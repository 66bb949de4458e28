/** One session as an iCalendar file (public for published courses). */
import type { APIRoute } from 'astro';
import { publicOrigin } from '~/lib/http/origin';
import { getDb } from '@db/client';
import { calendarSessions } from '~/lib/courses/queries';
import { sessionsToIcs } from '~/lib/courses/ics';

export const GET: APIRoute = ({ params }) => {
  const id = Number(params.id);
  const rows = Number.isSafeInteger(id) && id > 0 ? calendarSessions(getDb(), { sessionId: id }) : [];
  if (!rows.length) return new Response('Not found', { status: 404 });
  const body = sessionsToIcs(rows, { origin: publicOrigin(), calendarName: rows[0]!.course.title });
  return new Response(body, {
    headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="session-${id}.ics"` },
  });
};
