import { api, json } from '~/lib/http/api';
import { runSearch } from '~/lib/search/queries';
import { searchParams } from '~/lib/search/schemas';

export const GET = api(async ({ db, query }) => json(await runSearch(db, query(searchParams))));
