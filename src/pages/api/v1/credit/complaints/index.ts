import { api, json } from '~/lib/http/api';
import { complaintView, listComplaintsAgainstMine, listMyComplaints } from '~/lib/credit/complaint-queries';
import { fileComplaintInput } from '~/lib/credit/complaint-schemas';
import { fileComplaint } from '~/lib/credit/complaints';

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const complaint = fileComplaint(db, user, await body(fileComplaintInput));
  return json(complaintView(db, user, complaint), 201);
});

const item = (c: ReturnType<typeof listMyComplaints>[number]) => ({
  id: c.id,
  state: c.state,
  category: c.category,
  outcome: c.outcome,
  entity: c.entitySlug,
  filedAt: c.createdAt.toISOString(),
  responseDueAt: c.responseDueAt.toISOString(),
});

export const GET = api(({ db, requireUser }) => {
  const user = requireUser();
  return json({ filed: listMyComplaints(db, user).map(item), against: listComplaintsAgainstMine(db, user).map(item) });
});
