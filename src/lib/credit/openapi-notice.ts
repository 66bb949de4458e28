/** Credit certification API, notice (issue 16). */
import type { RouteDoc } from '~/lib/http/openapi';

export const creditNoticeRoutes: RouteDoc[] = [];
