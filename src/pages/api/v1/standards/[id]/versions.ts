import { api, intParam, json } from '~/lib/http/api';
import { versionInput } from '~/lib/standards/schemas';
import { addVersion } from '~/lib/standards/service';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const v = addVersion(db, requireUser(), intParam(ctx.params.id), await body(versionInput));
  return json({ number: v.number, createdAt: v.createdAt.toISOString() }, 201);
});
