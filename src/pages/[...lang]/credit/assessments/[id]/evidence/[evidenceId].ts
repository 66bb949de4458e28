/** An evidence file from the case page, for whoever may see the case (404 for anyone else). */
import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { isLangParam } from '~/i18n';
import { evidenceResponse } from '~/lib/credit/evidence-download';
import { openEvidence } from '~/lib/credit/evidence';
import { NotFound } from '~/lib/errors';

export const GET: APIRoute = (ctx) => {
  const { user } = ctx.locals;
  const id = ctx.params.id ?? '';
  const evidenceId = ctx.params.evidenceId ?? '';
  if (!user || !isLangParam(ctx.params.lang) || !/^\d{1,12}$/.test(id) || !/^\d{1,12}$/.test(evidenceId)) return new Response(null, { status: 404 });
  try {
    return evidenceResponse(openEvidence(getDb(), user, Number(id), Number(evidenceId)));
  } catch (err) {
    if (err instanceof NotFound) return new Response(null, { status: 404 });
    throw err;
  }
};
