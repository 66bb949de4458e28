import { api, json } from '~/lib/http/api';
import { requireVisibleOrganization } from '~/lib/organizations/service';
import { organizationView } from '~/lib/organizations/queries';

export const GET = api(({ ctx, db, user }) => json(organizationView(requireVisibleOrganization(db, user, ctx.params.slug!))));
