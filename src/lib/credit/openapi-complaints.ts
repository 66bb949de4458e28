/** Credit certification API, complaints (issue 16). */
import type { RouteDoc } from '~/lib/http/openapi';

export const creditComplaintsRoutes: RouteDoc[] = [];
