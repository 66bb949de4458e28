/**
 * The documents step's form target (multipart, streamed like the API): stores the file, then
 * sends the browser back to the step with the outcome in the query string.
 */
import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { localizePath } from '~/i18n';
import { DomainError, NotFound } from '~/lib/errors';
import { assertCanUpload, recordDocument } from '~/lib/settlement/service';
import { removeStoredFile } from '~/lib/settlement/storage';
import { receiveUpload } from '~/lib/settlement/upload';

export const POST: APIRoute = async (ctx) => {
  const { lang, user } = ctx.locals;
  const id = Number(ctx.params.id);
  if (!user || !Number.isSafeInteger(id) || ctx.params.lang !== undefined && ctx.params.lang !== 'en') return new Response(null, { status: 404 });
  const back = localizePath(`/settlement/applications/${id}/documents`, lang);
  const db = getDb();
  let item = '';
  try {
    assertCanUpload(db, user, id);
    const { fields, file } = await receiveUpload(ctx.request);
    item = fields.item ?? '';
    try {
      recordDocument(db, user, id, fields.item, file!);
    } catch (err) {
      removeStoredFile(file!.storedName);
      throw err;
    }
    return ctx.redirect(`${back}?uploaded=${encodeURIComponent(item)}`, 303);
  } catch (err) {
    if (err instanceof NotFound) return new Response(null, { status: 404 });
    if (!(err instanceof DomainError)) throw err;
    // The item field comes before the file in our form, but a refused body may not have been read.
    const code = err.status === 409 ? 'conflict' : err.code;
    return ctx.redirect(`${back}?error=${encodeURIComponent(code)}&item=${encodeURIComponent(item || new URL(ctx.request.url).searchParams.get('item') || '')}`, 303);
  }
};
