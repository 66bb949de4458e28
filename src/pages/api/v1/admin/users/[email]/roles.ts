import { api, json } from '~/lib/http/api';
import { requireAdmin } from '~/lib/admin/policy';
import { changeUserRoles } from '~/lib/admin/service';
import { NotFound } from '~/lib/errors';
import { rolesInput } from '~/lib/organizations/openapi';

function emailParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new NotFound('No account has that email.'); // malformed %-escape: no such user
  }
}

export const POST = api(async ({ ctx, db, body, user }) => {
  requireAdmin(user); // before reading the body: a non-admin learns nothing from validation errors
  const { roles } = await body(rolesInput);
  return json(changeUserRoles(db, user, emailParam(ctx.params.email), roles));
});
