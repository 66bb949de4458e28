/** Open data API (issue 18): GET /api/v1/data and /api/v1/data/{dataset}. */
import type { RouteDoc } from '~/lib/http/openapi';

export const dataRoutes: RouteDoc[] = [];
