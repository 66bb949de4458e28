import { api, intParam, json } from '~/lib/http/api';
import { transitionInput } from '~/lib/settlement/schemas';
import { loadCase, transition } from '~/lib/settlement/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  loadCase(db, user, id);
  return json(transition(db, user, id, await body(transitionInput)));
});
