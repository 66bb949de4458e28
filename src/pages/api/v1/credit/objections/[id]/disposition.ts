import { api, intParam, json } from '~/lib/http/api';
import { objectionDispositionInput } from '~/lib/credit/notice-schemas';
import { disposeObjection } from '~/lib/credit/objections';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const o = disposeObjection(db, requireUser(), intParam(ctx.params.id), await body(objectionDispositionInput));
  return json({ id: o.id, assessment: o.assessmentId, decision: o.decision, reason: o.dispositionReason, disposedAt: o.disposedAt!.toISOString() });
});
