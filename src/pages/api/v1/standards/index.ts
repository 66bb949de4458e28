import { api, json } from '~/lib/http/api';
import { listStandards } from '~/lib/standards/queries';
import { listQuery, proposeInput } from '~/lib/standards/schemas';
import { proposeStandard } from '~/lib/standards/service';

export const GET = api(({ db, user, query }) => json(listStandards(db, user, query(listQuery))));

export const POST = api(async ({ db, body, requireUser }) => {
  const s = proposeStandard(db, requireUser(), await body(proposeInput));
  return json({ id: s.id, state: s.state, stageCode: s.stageCode }, 201);
});
