/** What the credit assessment pages share, so each page's frontmatter stays a few lines. */
import type { AstroGlobal } from 'astro';
import { getDb } from '@db/client';
import type { SessionUser } from '~/lib/auth/sessions';
import { NotFound } from '~/lib/errors';
import { redirectToSignIn } from '~/lib/http/page-guards';
import { loadAssessment, type Assessment } from './assessments';

/**
 * The case named by the `id` route parameter: a redirect to sign in for a visitor, a 404 for
 * anyone it is not visible to (its existence is not revealed).
 */
export function assessmentFromParams(Astro: AstroGlobal): { assessment: Assessment; user: SessionUser } | Response {
  const user = Astro.locals.user;
  if (!user) return redirectToSignIn(Astro);
  const raw = Astro.params.id;
  if (!raw || !/^\d{1,12}$/.test(raw)) return new Response(null, { status: 404 });
  try {
    return { assessment: loadAssessment(getDb(), user, Number(raw)), user };
  } catch (err) {
    if (err instanceof NotFound) return new Response(null, { status: 404 });
    throw err;
  }
}

export const formatSize = (bytes: number) => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`);
