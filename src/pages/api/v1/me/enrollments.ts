import { api, json } from '~/lib/http/api';
import { myEnrollments } from '~/lib/courses/queries';
import { calendarFeedToken } from '~/lib/courses/service';

export const GET = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  return json({ items: myEnrollments(db, user.id), calendarFeedUrl: `${ctx.url.origin}/calendar/feed/${calendarFeedToken(db, user.id)}.ics` });
});
