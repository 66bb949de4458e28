import { api, intParam, json } from '~/lib/http/api';
import { findingView, getFinding } from '~/lib/research/queries';
import { findingUpdate } from '~/lib/research/schemas';
import { updateFinding } from '~/lib/research/service';

export const GET = api(({ ctx, db, user }) => json(findingView(getFinding(db, user, intParam(ctx.params.id)))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  updateFinding(db, user, id, await body(findingUpdate));
  return json(findingView(getFinding(db, user, id)));
});
