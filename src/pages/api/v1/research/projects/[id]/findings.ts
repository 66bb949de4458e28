import { api, intParam, json } from '~/lib/http/api';
import { findingView, getFinding } from '~/lib/research/queries';
import { findingInput } from '~/lib/research/schemas';
import { createFinding } from '~/lib/research/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const finding = createFinding(db, user, intParam(ctx.params.id), await body(findingInput));
  return json(findingView(getFinding(db, user, finding.id)), 201);
});
