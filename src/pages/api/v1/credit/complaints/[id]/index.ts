import { api, intParam, json } from '~/lib/http/api';
import { complaintView } from '~/lib/credit/complaint-queries';
import { loadComplaint } from '~/lib/credit/complaints';

export const GET = api(({ ctx, db, requireUser }) => {
  const user = requireUser();
  return json(complaintView(db, user, loadComplaint(db, user, intParam(ctx.params.id))));
});
