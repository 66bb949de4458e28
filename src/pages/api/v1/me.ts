import { api, json } from '~/lib/http/api';
import { getMe } from '~/lib/accounts/queries';

export const GET = api(({ db, requireUser }) => {
  const me = getMe(db, requireUser().id)!;
  return json({
    ...me,
    memberships: me.memberships.map((m) => ({
      organizationSlug: m.organizationSlug,
      organizationName: m.organizationName,
      role: m.role,
      status: m.status,
    })),
  });
});
