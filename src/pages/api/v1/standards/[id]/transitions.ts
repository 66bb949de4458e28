import { api, intParam, json } from '~/lib/http/api';
import { transitionInput } from '~/lib/standards/schemas';
import { transitionStandard } from '~/lib/standards/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const { standard, revision } = transitionStandard(db, requireUser(), intParam(ctx.params.id), await body(transitionInput));
  return json({ id: standard.id, state: standard.state, stageCode: standard.stageCode, number: standard.number, effectiveDate: standard.effectiveDate, commentClosesAt: standard.commentClosesAt?.toISOString() ?? null, revisionId: revision?.id ?? null });
});
