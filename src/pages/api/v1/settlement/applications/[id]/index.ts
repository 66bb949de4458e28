import { api, intParam, json } from '~/lib/http/api';
import { caseView } from '~/lib/settlement/queries';
import { patchApplicationInput } from '~/lib/settlement/schemas';
import { loadCase, saveAnswers } from '~/lib/settlement/service';

export const GET = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  return json(caseView(db, user, loadCase(db, user, intParam(ctx.params.id))));
});

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  loadCase(db, user, id); // 404 before reading a body from someone who cannot see the case
  const { answers } = await body(patchApplicationInput);
  return json(caseView(db, user, saveAnswers(db, user, id, answers)));
});
