import { api, json } from '~/lib/http/api';
import { removeMember } from '~/lib/organizations/service';

export const DELETE = api(({ ctx, db, requireUser }) => {
  removeMember(db, requireUser(), ctx.params.slug!, ctx.params.userId!);
  return json(null, 204);
});
