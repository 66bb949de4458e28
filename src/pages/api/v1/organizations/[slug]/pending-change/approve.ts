import { api, json } from '~/lib/http/api';
import { organizationDetail } from '~/lib/organizations/queries';
import { approveOrganizationChange } from '~/lib/organizations/service';

export const POST = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  return json(organizationDetail(db, user, approveOrganizationChange(db, user, ctx.params.slug!)));
});
