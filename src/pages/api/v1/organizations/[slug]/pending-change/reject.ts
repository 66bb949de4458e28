import { api, json } from '~/lib/http/api';
import { requireAdmin } from '~/lib/admin/policy';
import { organizationDetail } from '~/lib/organizations/queries';
import { rejectInput } from '~/lib/organizations/schemas';
import { rejectOrganizationChange } from '~/lib/organizations/service';

export const POST = api(async ({ ctx, db, body, user }) => {
  const admin = requireAdmin(user); // before reading the body: a non-admin learns nothing from validation errors
  const { reason } = await body(rejectInput);
  return json(organizationDetail(db, admin, rejectOrganizationChange(db, admin, ctx.params.slug!, reason)));
});
