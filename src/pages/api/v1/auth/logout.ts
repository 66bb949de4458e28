import { api, json } from '~/lib/http/api';
import { endSession } from '~/lib/auth/sessions';

export const POST = api(async ({ ctx, db, requireUser }) => {
  requireUser();
  await endSession(db, ctx.locals.sessionToken!);
  return json(null, 204);
});
