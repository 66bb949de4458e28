import { api, json } from '~/lib/http/api';
import { routeOut } from '~/lib/settlement/openapi';
import { listRoutes } from '~/lib/settlement/service';

export const GET = api(({ db }) => json({ items: listRoutes(db).map(routeOut) }));
