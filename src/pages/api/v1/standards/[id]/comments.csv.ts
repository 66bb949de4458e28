import { api, intParam } from '~/lib/http/api';
import { commentsOf, resolutionCsv } from '~/lib/standards/queries';
import { requireVisibleStandard } from '~/lib/standards/service';

export const GET = api(({ ctx, db, user }) => {
  const s = requireVisibleStandard(db, user, intParam(ctx.params.id));
  return new Response(resolutionCsv(commentsOf(db, s.id)), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="standard-${s.id}-comment-resolution.csv"`,
    },
  });
});
