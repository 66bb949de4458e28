/** Credit certification API, certificates (issue 16). */
import type { RouteDoc } from '~/lib/http/openapi';

export const creditCertificatesRoutes: RouteDoc[] = [];
