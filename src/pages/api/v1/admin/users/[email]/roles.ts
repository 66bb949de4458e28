import { api, json } from '~/lib/http/api';
import { requireAdmin } from '~/lib/admin/policy';
import { changeUserRoles } from '~/lib/admin/service';
import { rolesInput } from '~/lib/organizations/openapi';

export const POST = api(async ({ ctx, db, body, user }) => {
  requireAdmin(user); // before reading the body: a non-admin learns nothing from validation errors
  const { roles } = await body(rolesInput);
  return json(changeUserRoles(db, user, decodeURIComponent(ctx.params.email!), roles));
});
