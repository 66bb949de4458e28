import { api, intParam, json } from '~/lib/http/api';
import { voteInput } from '~/lib/standards/schemas';
import { castVote } from '~/lib/standards/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const v = castVote(db, requireUser(), intParam(ctx.params.id), await body(voteInput));
  return json({ position: v.position, round: v.round, updatedAt: v.updatedAt.toISOString() });
});
