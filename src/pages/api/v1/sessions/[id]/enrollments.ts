import { api, intParam, json } from '~/lib/http/api';
import { enrollInSession } from '~/lib/courses/service';

export const POST = api(({ ctx, db, requireUser }) => {
  const e = enrollInSession(db, requireUser(), intParam(ctx.params.id));
  return json({ id: e.id, sessionId: e.sessionId, status: e.status, position: e.position }, 201);
});
