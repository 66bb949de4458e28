import { api, intParam, json } from '~/lib/http/api';
import { getSession, sessionView } from '~/lib/courses/queries';
import { sessionUpdate } from '~/lib/courses/schemas';
import { updateSession, waitlistLength } from '~/lib/courses/service';

export const GET = api(({ ctx, db, user }) => json(getSession(db, user, intParam(ctx.params.id))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const session = updateSession(db, user, intParam(ctx.params.id), await body(sessionUpdate));
  return json(sessionView(session, waitlistLength(db, session.id)));
});
