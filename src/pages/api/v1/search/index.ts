import { publicRoute } from '~/lib/http/api';
import { searchRead } from '~/lib/search/routes';

export const GET = publicRoute(searchRead);
