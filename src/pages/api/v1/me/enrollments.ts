import { api, json } from '~/lib/http/api';
import { publicOrigin } from '~/lib/http/origin';
import { myEnrollments } from '~/lib/courses/queries';
import { calendarFeedToken } from '~/lib/courses/service';

export const GET = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  return json({ items: myEnrollments(db, user.id), calendarFeedUrl: `${publicOrigin()}/calendar/feed/${calendarFeedToken(db, user.id)}.ics` });
});
