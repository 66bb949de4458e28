/**
 * The complaint page's evidence form target (multipart, streamed like the API): stores the file,
 * then sends the browser back to the complaint with the outcome in the query string.
 */
import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { localizePath } from '~/i18n';
import { assertCanAddEvidence, recordComplaintEvidence } from '~/lib/credit/complaints';
import { DomainError, NotFound } from '~/lib/errors';
import { removeStoredFile } from '~/lib/settlement/storage';
import { receiveUpload } from '~/lib/settlement/upload';

export const POST: APIRoute = async (ctx) => {
  const { lang, user } = ctx.locals;
  const id = Number(ctx.params.id);
  if (!user || !Number.isSafeInteger(id) || (ctx.params.lang !== undefined && ctx.params.lang !== 'en')) return new Response(null, { status: 404 });
  const back = localizePath(`/credit/complaints/${id}`, lang);
  const db = getDb();
  try {
    assertCanAddEvidence(db, user, id);
    const { file } = await receiveUpload(ctx.request);
    try {
      recordComplaintEvidence(db, user, id, file!);
    } catch (err) {
      removeStoredFile(file!.storedName);
      throw err;
    }
    return ctx.redirect(`${back}?uploaded=1#evidence-h`, 303);
  } catch (err) {
    if (err instanceof NotFound) return new Response(null, { status: 404 });
    if (!(err instanceof DomainError)) throw err;
    return ctx.redirect(`${back}?error=${encodeURIComponent(err.code)}#evidence-h`, 303);
  }
};
