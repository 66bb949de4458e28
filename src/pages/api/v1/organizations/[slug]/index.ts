import { api, json } from '~/lib/http/api';
import { organizationUpdate } from '~/lib/organizations/schemas';
import { requireVisibleOrganization, updateOrganization } from '~/lib/organizations/service';
import { organizationView } from '~/lib/organizations/queries';

export const GET = api(({ ctx, db, user }) => json(organizationView(requireVisibleOrganization(db, user, ctx.params.slug!))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(organizationUpdate);
  return json(organizationView(updateOrganization(db, user, ctx.params.slug!, input)));
});
