import { api, json } from '~/lib/http/api';
import { requireAdmin } from '~/lib/admin/policy';
import { listPendingChanges } from '~/lib/organizations/queries';

export const GET = api(({ db, user }) => {
  requireAdmin(user);
  return json({ items: listPendingChanges(db) });
});
