import { api, json } from '~/lib/http/api';
import { routeOut } from '~/lib/settlement/openapi';
import { routeEditInput } from '~/lib/settlement/schemas';
import { getRoute, updateRoute } from '~/lib/settlement/service';

export const GET = api(({ ctx, db }) => json(routeOut(getRoute(db, ctx.params.slug!))));

export const PATCH = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const input = await body(routeEditInput);
  return json(routeOut(updateRoute(db, user, ctx.params.slug!, input)));
});
