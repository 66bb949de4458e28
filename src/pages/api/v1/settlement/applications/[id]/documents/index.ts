import { api, intParam, json } from '~/lib/http/api';
import { assertCanUpload, recordDocument } from '~/lib/settlement/service';
import { receiveUpload } from '~/lib/settlement/upload';
import { removeStoredFile } from '~/lib/settlement/storage';

export const POST = api(async ({ ctx, db, requireUser }) => {
  const user = requireUser();
  const id = intParam(ctx.params.id);
  assertCanUpload(db, user, id); // refuse before reading a byte of the body
  const { fields, file } = await receiveUpload(ctx.request);
  try {
    const doc = recordDocument(db, user, id, fields.item, file!);
    return json({ id: doc.id, item: doc.itemKey, name: doc.originalName, type: doc.type, size: doc.size, sha256: doc.sha256, url: `/api/v1/settlement/applications/${id}/documents/${doc.id}` }, 201);
  } catch (err) {
    removeStoredFile(file!.storedName);
    throw err;
  }
});
