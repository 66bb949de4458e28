import { api, intParam, json } from '~/lib/http/api';
import { assertCanAddEvidence, recordComplaintEvidence } from '~/lib/credit/complaints';
import { removeStoredFile } from '~/lib/settlement/storage';
import { receiveUpload } from '~/lib/settlement/upload';

export const POST = api(async ({ ctx, db, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  assertCanAddEvidence(db, user, id); // refuse before reading a byte of the body
  const { file } = await receiveUpload(ctx.request);
  try {
    const e = recordComplaintEvidence(db, user, id, file!);
    return json({ id: e.id, name: e.originalName, type: e.type, size: e.size, sha256: e.sha256, url: `/api/v1/credit/complaints/${id}/evidence/${e.id}` }, 201);
  } catch (err) {
    removeStoredFile(file!.storedName);
    throw err;
  }
});
