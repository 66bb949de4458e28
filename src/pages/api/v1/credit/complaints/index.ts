import { api, json } from '~/lib/http/api';
import { complaintView } from '~/lib/credit/complaint-queries';
import { fileComplaintInput } from '~/lib/credit/complaint-schemas';
import { fileComplaint } from '~/lib/credit/complaints';

export const POST = api(async ({ db, body, requireUser }) => {
  const user = requireUser();
  const complaint = fileComplaint(db, user, await body(fileComplaintInput));
  return json(complaintView(db, user, complaint), 201);
});
