/** Credit certification API, assessments (issue 16). */
import type { RouteDoc } from '~/lib/http/openapi';

export const creditAssessmentsRoutes: RouteDoc[] = [];
