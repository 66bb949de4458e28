import { api, json } from '~/lib/http/api';
import { Forbidden } from '~/lib/errors';
import { setPlatformRoles } from '~/lib/accounts/service';
import { rolesInput } from '~/lib/organizations/openapi';
import { isAdmin } from '~/lib/organizations/policy';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  if (!isAdmin(user)) throw new Forbidden('Only platform admins manage roles.');
  const { roles } = await body(rolesInput);
  return json(setPlatformRoles(db, user.id, decodeURIComponent(ctx.params.email!), roles));
});
