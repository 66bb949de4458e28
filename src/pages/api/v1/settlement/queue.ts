import { api, json } from '~/lib/http/api';
import { queue } from '~/lib/settlement/queries';
import { queueQuery } from '~/lib/settlement/schemas';
import { ensureLapseSchedule } from '~/lib/settlement/schedule';

export const GET = api(({ db, query, requireUser }) => {
  ensureLapseSchedule();
  return json(queue(db, requireUser(), query(queueQuery)));
});
