import { api, intParam, json } from '~/lib/http/api';
import { publishFinding } from '~/lib/research/service';

export const POST = api(({ ctx, db, requireUser }) => {
  const { finding, number } = publishFinding(db, requireUser(), intParam(ctx.params.id));
  return json({ id: finding.id, status: finding.status, number });
});
