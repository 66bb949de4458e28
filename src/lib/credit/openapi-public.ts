/** Credit certification API, public (issue 16). */
import type { RouteDoc } from '~/lib/http/openapi';

export const creditPublicRoutes: RouteDoc[] = [];
