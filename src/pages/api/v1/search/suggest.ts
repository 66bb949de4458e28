import { publicRoute } from '~/lib/http/api';
import { suggestRead } from '~/lib/search/routes';

export const GET = publicRoute(suggestRead);
