/** The search API's two reads, served by their Astro routes and directly by src/cli/serve.mjs. */
import { publicRead } from '~/lib/http/api';
import { runSearch, runSuggest } from './queries';
import { searchParams, suggestParams } from './schemas';

export const searchRead = publicRead(searchParams, runSearch);
export const suggestRead = publicRead(suggestParams, (db, p) => runSuggest(db, p.q), { 'cache-control': 'public, max-age=60' });
