import { api, json } from '~/lib/http/api';
import { organizationUpdate } from '~/lib/organizations/schemas';
import { requireVisibleOrganization, updateOrganization } from '~/lib/organizations/service';
import { organizationDetail } from '~/lib/organizations/queries';

export const GET = api(({ ctx, db, user }) => json(organizationDetail(db, user, requireVisibleOrganization(db, user, ctx.params.slug!))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(organizationUpdate);
  return json(organizationDetail(db, user, updateOrganization(db, user, ctx.params.slug!, input)));
});
