/**
 * The case page's evidence form target (multipart, streamed like the API): stores the file, then
 * sends the browser back to the case with the outcome in the query string.
 */
import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { isLangParam, localizePath } from '~/i18n';
import { assertCanUploadEvidence, recordEvidence } from '~/lib/credit/evidence';
import { evidencePath, removeEvidenceFile } from '~/lib/credit/storage';
import { DomainError, NotFound } from '~/lib/errors';
import { receiveUpload } from '~/lib/settlement/upload';

export const POST: APIRoute = async (ctx) => {
  const { lang, user } = ctx.locals;
  const id = Number(ctx.params.id);
  if (!user || !isLangParam(ctx.params.lang) || !/^\d{1,12}$/.test(ctx.params.id ?? '')) return new Response(null, { status: 404 });
  const back = localizePath(`/credit/assessments/${id}`, lang);
  const db = getDb();
  try {
    assertCanUploadEvidence(db, user, id);
    const { fields, file } = await receiveUpload(ctx.request, evidencePath);
    try {
      recordEvidence(db, user, id, fields.indicator, file!);
    } catch (err) {
      removeEvidenceFile(file!.storedName);
      throw err;
    }
    return ctx.redirect(`${back}?done=uploaded#evidence-h`, 303);
  } catch (err) {
    if (err instanceof NotFound) return new Response(null, { status: 404 });
    if (!(err instanceof DomainError)) throw err;
    return ctx.redirect(`${back}?upload=${encodeURIComponent(err.code)}#upload-summary`, 303);
  }
};
