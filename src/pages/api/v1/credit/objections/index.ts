import { api, json } from '~/lib/http/api';
import { objectionInput } from '~/lib/credit/notice-schemas';
import { fileObjection } from '~/lib/credit/objections';

export const POST = api(async ({ db, body, requireUser }) => {
  const o = fileObjection(db, requireUser(), await body(objectionInput));
  return json({ id: o.id, assessment: o.assessmentId, createdAt: o.createdAt.toISOString() }, 201);
});
