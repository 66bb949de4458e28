import { schemeCreateInput, schemeListQuery } from '~/lib/credit/scheme-schemas';
import { createScheme, listPublicSchemes, schemeDetail } from '~/lib/credit/schemes';
import { api, json } from '~/lib/http/api';

export const GET = api(({ db, query }) => json(listPublicSchemes(db, query(schemeListQuery))));

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const scheme = createScheme(db, user, await body(schemeCreateInput));
  return json(schemeDetail(db, user, scheme.id).view, 201);
});
