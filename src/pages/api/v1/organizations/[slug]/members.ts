import { api, json } from '~/lib/http/api';
import { publicOrigin } from '~/lib/http/origin';
import { memberInput } from '~/lib/organizations/schemas';
import { addMember } from '~/lib/organizations/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(memberInput);
  const result = addMember(db, user, ctx.params.slug!, input, publicOrigin());
  return json(result, result.status === 'invited' ? 202 : 200);
});
