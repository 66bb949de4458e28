import { api, json } from '~/lib/http/api';
import { NotFound } from '~/lib/errors';
import { certificateView } from '~/lib/credit/certificate-queries';

export const GET = api(({ ctx, db }) => {
  const view = certificateView(db, ctx.params.number ?? '');
  if (!view) throw new NotFound('No certificate has that number.');
  return json(view);
});
