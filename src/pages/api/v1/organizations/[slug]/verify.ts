import { api, json } from '~/lib/http/api';
import { verifyOrganization } from '~/lib/organizations/service';
import { organizationView } from '~/lib/organizations/queries';

export const POST = api(({ ctx, db, requireUser }) => json(organizationView(verifyOrganization(db, requireUser(), ctx.params.slug!))));
