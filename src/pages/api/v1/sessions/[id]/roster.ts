import { api, intParam, json } from '~/lib/http/api';
import { getRoster, rosterCsv } from '~/lib/courses/queries';

export const GET = api(({ ctx, db, requireUser }) => {
  const roster = getRoster(db, requireUser(), intParam(ctx.params.id));
  if (ctx.url.searchParams.get('format') === 'csv') {
    return new Response(rosterCsv(roster), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="roster-session-${roster.session.id}.csv"` },
    });
  }
  return json({ session: roster.session, entries: roster.entries });
});
