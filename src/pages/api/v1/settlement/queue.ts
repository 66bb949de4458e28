import { api, json } from '~/lib/http/api';
import { queue } from '~/lib/settlement/queries';
import { queueQuery } from '~/lib/settlement/schemas';

export const GET = api(({ db, query, requireUser }) => json(queue(db, requireUser(), query(queueQuery))));
