/** Every documented v1 route; a test checks each file under src/pages/api/v1 appears here. */
import { accountRoutes } from '~/lib/accounts/openapi';
import { organizationRoutes } from '~/lib/organizations/openapi';
import { courseRoutes } from '~/lib/courses/openapi';
import { researchRoutes } from '~/lib/research/openapi';
import { settlementApiRoutes } from '~/lib/settlement/openapi';
import { searchRoutes } from '~/lib/search/openapi';
import { standardRoutes } from '~/lib/standards/openapi';
import { creditSchemesRoutes } from '~/lib/credit/openapi-schemes';
import { creditAssessmentsRoutes } from '~/lib/credit/openapi-assessments';
import { creditNoticeRoutes } from '~/lib/credit/openapi-notice';
import { creditCertificatesRoutes } from '~/lib/credit/openapi-certificates';
import { creditPublicRoutes } from '~/lib/credit/openapi-public';
import { creditComplaintsRoutes } from '~/lib/credit/openapi-complaints';
import { dataRoutes } from '~/lib/data/openapi';
import type { RouteDoc } from './openapi';

export const apiRoutes: RouteDoc[] = [...accountRoutes, ...organizationRoutes, ...courseRoutes, ...researchRoutes, ...settlementApiRoutes, ...searchRoutes, ...standardRoutes, ...creditSchemesRoutes, ...creditAssessmentsRoutes, ...creditNoticeRoutes, ...creditCertificatesRoutes, ...creditPublicRoutes, ...creditComplaintsRoutes, ...dataRoutes];
