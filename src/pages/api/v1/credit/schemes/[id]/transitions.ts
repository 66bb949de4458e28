import { schemeTransitionInput } from '~/lib/credit/scheme-schemas';
import { schemeDetail, transitionScheme } from '~/lib/credit/schemes';
import { api, intParam, json } from '~/lib/http/api';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const scheme = transitionScheme(db, user, intParam(ctx.params.id), (await body(schemeTransitionInput)).to);
  return json(schemeDetail(db, user, scheme.id).view);
});
