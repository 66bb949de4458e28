import { api, json } from '~/lib/http/api';
import { listRules } from '~/lib/settlement/service';

export const GET = api(({ db }) => json({ items: listRules(db) }));
