/** Small helpers the settlement pages share, so each page's frontmatter stays a few lines. */
import type { AstroGlobal } from 'astro';
import { getDb } from '@db/client';
import { localizePath, type Lang } from '~/i18n';
import type { SessionUser } from '~/lib/auth/sessions';
import { NotFound } from '~/lib/errors';
import { redirectToSignIn } from '~/lib/http/page-guards';
import { routeOf, validateSection, currentDocuments, loadCase, type Application, type Route } from './service';
import { SECTIONS } from './schemas';
import { isApplicant, publicState, type PublicState } from './policy';
import type { ApplicationState } from '@db/schema';
import { ensureLapseSchedule } from './schedule';

export const STEPS = ['personal', 'criteria', 'company', 'documents', 'declaration'] as const;
export type Step = (typeof STEPS)[number];

/** Sends a visitor who is not signed in to the sign-in page and back. */
export { signInRedirect } from '~/lib/http/page-guards';

/** The case named by the `id` route parameter, or null when the visitor may not see it (404). */
export function caseFromParams(Astro: AstroGlobal): Application | null {
  ensureLapseSchedule();
  const raw = Astro.params.id;
  if (!raw || !/^\d{1,12}$/.test(raw)) return null;
  try {
    return loadCase(getDb(), Astro.locals.user, Number(raw));
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/**
 * The applicant's own case named by the route, for the applicant's pages: a redirect to sign in
 * for a visitor, a 404 for anyone else (existence is not revealed).
 */
export function applicantCaseFromParams(Astro: AstroGlobal): { app: Application; user: SessionUser } | Response {
  const guarded = visibleCaseFromParams(Astro);
  if (guarded instanceof Response || isApplicant(guarded.user, guarded.app)) return guarded;
  return new Response(null, { status: 404 });
}

/**
 * The case named by the route for any page that shows it to whoever may see it (the decision
 * letter): a redirect to sign in for a visitor, a 404 for anyone the case is not visible to.
 */
export function visibleCaseFromParams(Astro: AstroGlobal): { app: Application; user: SessionUser } | Response {
  const user = Astro.locals.user;
  if (!user) return redirectToSignIn(Astro);
  const app = caseFromParams(Astro);
  if (!app) return new Response(null, { status: 404 });
  return { app, user };
}

/** The case named by the route, for staff's pages: as `visibleCaseFromParams`, and the applicant is sent to their own page. */
export function staffCaseFromParams(Astro: AstroGlobal): { app: Application; user: SessionUser } | Response {
  const guarded = visibleCaseFromParams(Astro);
  if (guarded instanceof Response || !isApplicant(guarded.user, guarded.app)) return guarded;
  return Astro.redirect(localizePath(`/settlement/applications/${guarded.app.id}`, Astro.locals.lang as Lang), 303);
}

export function taskList(app: Application): { step: Step; done: boolean }[] {
  const db = getDb();
  const route: Route = routeOf(db, app);
  const present = new Set(currentDocuments(db, app.id).map((d) => d.itemKey));
  return STEPS.map((step) => {
    if (step === 'documents') return { step, done: route.checklist.every((i) => !i.required || present.has(i.key)) };
    const section = step as (typeof SECTIONS)[number];
    return { step, done: Object.keys(validateSection(route, section, app.answers[section] ?? {}, false).fields).length === 0 };
  });
}

export const formatSize = (bytes: number) => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`);

/** The label of the state the applicant is told (`publicState`): recommendations read "awaiting decision". */
export const applicantStateKey = (state: ApplicationState | PublicState) =>
  `settlement.state.${state === 'awaiting_decision' ? state : publicState(state)}`;
