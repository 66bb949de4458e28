import { api, intParam, json } from '~/lib/http/api';
import { diffVersions } from '~/lib/research/diff';
import { getFinding, getVersion } from '~/lib/research/queries';
import { diffQuery } from '~/lib/research/schemas';
import { Forbidden } from '~/lib/errors';

export const GET = api(({ ctx, db, user, query }) => {
  const { from, to, mode } = query(diffQuery);
  const view = getFinding(db, user, intParam(ctx.params.id));
  if (!view.bodyVisible) throw new Forbidden('The text of this finding is not public yet.');
  const a = getVersion(view, from);
  const b = getVersion(view, to);
  return json({ from, to, mode, ...diffVersions(a.bodyMd, b.bodyMd, mode) });
});
