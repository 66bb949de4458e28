import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { blankSessionCookie, endSession } from '~/lib/auth/sessions';
import { safeNext } from '~/lib/http/safe-next';
import { isSecure } from '~/middleware';

/** Sign-out is a POST form (the origin check guards it), then back to a safe local page. */
export const POST: APIRoute = async (ctx) => {
  if (ctx.locals.sessionToken) await endSession(getDb(), ctx.locals.sessionToken);
  const c = blankSessionCookie({ secure: isSecure(ctx.request, ctx.url) });
  ctx.cookies.set(c.name, c.value, c.options);
  const form = await ctx.request.formData().catch(() => null);
  const next = form?.get('next');
  return ctx.redirect(safeNext(typeof next === 'string' ? next : null, '/'), 303);
};
