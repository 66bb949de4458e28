import { api, intParam, json } from '~/lib/http/api';
import { ruleEditInput } from '~/lib/settlement/schemas';
import { updateRule } from '~/lib/settlement/service';

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(ruleEditInput);
  return json(updateRule(db, user, intParam(ctx.params.id), input));
});
