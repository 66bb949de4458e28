/**
 * The body's certificate pages, read once for both languages. Their routes are literal
 * (src/pages/credit/manage/certificates/… and src/pages/en/credit/manage/certificates/…), not under
 * `[...lang]`: Astro orders routes segment by segment, alphabetically among static segments, so
 * `[...lang]/certificates/…` (the courses' certificates) would take `/en/credit/manage/certificates`
 * as lang `en/credit/manage` and answer 404. A literal first segment is tried before `[...lang]`.
 */
import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { getDb } from '@db/client';
import { localizePath, type Lang } from '~/i18n';
import { formState } from '~/lib/forms/state';
import { signInRedirect } from '~/lib/http/page-guards';
import { bodyCertificates, creditBodiesOf, manageCertificateView } from './certificate-queries';
import { bodyCertificatesQuery } from './certificate-schemas';

/** The body's list: its assessors and committee members only (404 for anyone else). */
export function manageCertificatesPage(Astro: AstroGlobal) {
  const redirect = signInRedirect(Astro);
  if (redirect) return redirect;
  const user = Astro.locals.user!;
  const db = getDb();
  if (!creditBodiesOf(db, user).length) return new Response(null, { status: 404 });
  const raw = Object.fromEntries([...Astro.url.searchParams].filter(([, v]) => v !== ''));
  const filter = bodyCertificatesQuery.safeParse(raw);
  const values: Record<string, string> = filter.success ? raw : {};
  const q = filter.success ? filter.data : {};
  const result = bodyCertificates(db, user, { state: q.state, flagged: q.flagged === '1', due: q.due === '1', page: q.page });
  return { result, values };
}

/** One certificate, for the body's assessors and committee and the company's owners and editors (404 for anyone else). */
export async function manageCertificatePage(Astro: AstroGlobal) {
  const redirect = signInRedirect(Astro);
  if (redirect) return redirect;
  const moved = await formState(Astro, Astro.getActionResult(actions.creditCertificates.transition));
  const surveilled = await formState(Astro, Astro.getActionResult(actions.creditCertificates.surveil));
  const number = Astro.params.number ?? '';
  if (moved.ok || surveilled.ok) return Astro.redirect(`${localizePath(`/credit/manage/certificates/${number}`, Astro.locals.lang as Lang)}?done=1`, 303);
  const m = manageCertificateView(getDb(), Astro.locals.user!, number);
  if (!m) return new Response(null, { status: 404 });
  return { m, moved, surveilled, done: Astro.url.searchParams.get('done') === '1' };
}
