import { api, intParam, json } from '~/lib/http/api';
import { sessionView } from '~/lib/courses/queries';
import { sessionInput } from '~/lib/courses/schemas';
import { createSession } from '~/lib/courses/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const session = createSession(db, user, intParam(ctx.params.id), await body(sessionInput));
  return json(sessionView(session, 0), 201);
});
