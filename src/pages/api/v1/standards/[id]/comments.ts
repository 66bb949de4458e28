import { api, intParam, json } from '~/lib/http/api';
import { commentsOf } from '~/lib/standards/queries';
import { commentInput } from '~/lib/standards/schemas';
import { addComment, requireVisibleStandard } from '~/lib/standards/service';

export const GET = api(({ ctx, db, user }) => {
  const s = requireVisibleStandard(db, user, intParam(ctx.params.id));
  return json({ items: commentsOf(db, s.id) });
});

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const c = addComment(db, requireUser(), intParam(ctx.params.id), await body(commentInput));
  return json({ id: c.id, version: c.versionNumber, clause: c.clause }, 201);
});
