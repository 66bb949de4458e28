import { api, intParam, json } from '~/lib/http/api';
import { versionInput } from '~/lib/research/schemas';
import { addVersion } from '~/lib/research/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const version = addVersion(db, requireUser(), intParam(ctx.params.id), await body(versionInput));
  return json({ number: version.number, publishedAt: null }, 201);
});
