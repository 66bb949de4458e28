import { api, intParam, json } from '~/lib/http/api';
import { dispositionInput } from '~/lib/standards/schemas';
import { disposeComment } from '~/lib/standards/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const c = disposeComment(db, requireUser(), intParam(ctx.params.id), await body(dispositionInput));
  return json({ id: c.id, decision: c.decision, reason: c.dispositionReason, resolvedInVersion: c.resolvedInVersion });
});
