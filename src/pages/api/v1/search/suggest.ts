import { api, json } from '~/lib/http/api';
import { runSuggest } from '~/lib/search/queries';
import { suggestParams } from '~/lib/search/schemas';

export const GET = api(async ({ db, query }) => json(await runSuggest(db, query(suggestParams).q), 200, { 'cache-control': 'public, max-age=60' }));
