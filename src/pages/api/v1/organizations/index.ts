import { api, json } from '~/lib/http/api';
import { organizationInput, organizationListQuery } from '~/lib/organizations/schemas';
import { createOrganization } from '~/lib/organizations/service';
import { listOrganizations, organizationView } from '~/lib/organizations/queries';

export const GET = api(({ db, query }) => json(listOrganizations(db, query(organizationListQuery))));

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const org = createOrganization(db, user, await body(organizationInput));
  return json(organizationView(org), 201);
});
