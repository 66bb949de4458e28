import { api, intParam, json } from '~/lib/http/api';
import { complaintView } from '~/lib/credit/complaint-queries';
import { complaintTransitionInput } from '~/lib/credit/complaint-schemas';
import { loadComplaint, transitionComplaint } from '~/lib/credit/complaints';

export const POST = api(async ({ ctx, db, body, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  loadComplaint(db, user, id); // 404 before reading a body from someone who cannot see it
  return json(complaintView(db, user, transitionComplaint(db, user, id, await body(complaintTransitionInput))));
});
