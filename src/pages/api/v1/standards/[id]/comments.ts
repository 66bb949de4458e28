import { api, intParam, json } from '~/lib/http/api';
import { commentPage } from '~/lib/standards/queries';
import { commentInput, commentListQuery } from '~/lib/standards/schemas';
import { addComment, requireVisibleStandard } from '~/lib/standards/service';

export const GET = api(({ ctx, db, user, query }) => {
  const s = requireVisibleStandard(db, user, intParam(ctx.params.id));
  const { page, perPage } = query(commentListQuery);
  return json(commentPage(db, s.id, page, perPage));
});

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const c = addComment(db, requireUser(), intParam(ctx.params.id), await body(commentInput));
  return json({ id: c.id, version: c.versionNumber, clause: c.clause }, 201);
});
