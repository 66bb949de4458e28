/** Every documented v1 route; a test checks each file under src/pages/api/v1 appears here. */
import { accountRoutes } from '~/lib/accounts/openapi';
import { organizationRoutes } from '~/lib/organizations/openapi';
import { courseRoutes } from '~/lib/courses/openapi';
import { researchRoutes } from '~/lib/research/openapi';
import { settlementApiRoutes } from '~/lib/settlement/openapi';
import { searchRoutes } from '~/lib/search/openapi';
import { standardRoutes } from '~/lib/standards/openapi';
import type { RouteDoc } from './openapi';

export const apiRoutes: RouteDoc[] = [...accountRoutes, ...organizationRoutes, ...courseRoutes, ...researchRoutes, ...settlementApiRoutes, ...searchRoutes, ...standardRoutes];
