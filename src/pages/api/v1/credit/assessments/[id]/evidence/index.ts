import { api, intParam, json } from '~/lib/http/api';
import { assertCanUploadEvidence, recordEvidence } from '~/lib/credit/evidence';
import { evidencePath, removeEvidenceFile } from '~/lib/credit/storage';
import { receiveUpload } from '~/lib/settlement/upload';

export const POST = api(async ({ ctx, db, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  assertCanUploadEvidence(db, user, id); // refuse before reading a byte of the body
  const { fields, file } = await receiveUpload(ctx.request, evidencePath);
  try {
    const e = recordEvidence(db, user, id, fields.indicator, file!);
    return json({ id: e.id, indicator: e.indicatorKey!, name: e.originalName, type: e.type, size: e.size, sha256: e.sha256, url: `/api/v1/credit/assessments/${id}/evidence/${e.id}` }, 201);
  } catch (err) {
    removeEvidenceFile(file!.storedName);
    throw err;
  }
});
