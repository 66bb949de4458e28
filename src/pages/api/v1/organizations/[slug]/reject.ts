import { api, json } from '~/lib/http/api';
import { rejectInput } from '~/lib/organizations/schemas';
import { rejectOrganization } from '~/lib/organizations/service';
import { organizationView } from '~/lib/organizations/queries';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const { reason } = await body(rejectInput);
  return json(organizationView(rejectOrganization(db, user, ctx.params.slug!, reason)));
});
