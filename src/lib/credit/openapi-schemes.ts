/** Credit certification API, schemes (issue 16). */
import type { RouteDoc } from '~/lib/http/openapi';

export const creditSchemesRoutes: RouteDoc[] = [];
