import { api, intParam, json } from '~/lib/http/api';
import { versionDiff } from '~/lib/standards/queries';
import { diffQuery } from '~/lib/standards/schemas';

export const GET = api(({ ctx, db, user, query }) => {
  const q = query(diffQuery);
  const d = versionDiff(db, user, intParam(ctx.params.id), q.from, q.to);
  return json({ id: d.standard.id, from: d.from, to: d.to, clauses: d.clauses });
});
