import { api, json } from '~/lib/http/api';
import { publicOrigin } from '~/lib/http/origin';
import { memberInput } from '~/lib/organizations/schemas';
import { addMember } from '~/lib/organizations/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(memberInput);
  return json(addMember(db, user, ctx.params.slug!, input, publicOrigin()), 201);
});
