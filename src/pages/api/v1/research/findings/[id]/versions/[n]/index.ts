import { api, intParam, json } from '~/lib/http/api';
import { versionInput } from '~/lib/research/schemas';
import { updateDraftVersion } from '~/lib/research/service';

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const version = updateDraftVersion(db, requireUser(), intParam(ctx.params.id), intParam(ctx.params.n), await body(versionInput));
  return json({ number: version.number, publishedAt: null });
});
