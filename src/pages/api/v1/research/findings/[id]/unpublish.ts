import { api, intParam, json } from '~/lib/http/api';
import { unpublishInput } from '~/lib/research/schemas';
import { unpublishFinding } from '~/lib/research/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const { reason } = await body(unpublishInput);
  const finding = unpublishFinding(db, user, intParam(ctx.params.id), reason);
  return json({ id: finding.id, status: finding.status });
});
