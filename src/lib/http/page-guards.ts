/** Guards shared by pages: sending a signed-out visitor to sign in is done once, the same way everywhere. */
import type { AstroGlobal } from 'astro';
import { localizePath, type Lang } from '~/i18n';

/** A 303 to the sign-in page that comes back here (query string included) afterwards. */
export function redirectToSignIn(Astro: AstroGlobal): Response {
  const lang = Astro.locals.lang as Lang;
  return Astro.redirect(`${localizePath('/signin', lang)}?next=${encodeURIComponent(Astro.url.pathname + Astro.url.search)}`, 303);
}

/** The redirect when nobody is signed in, or null. */
export function signInRedirect(Astro: AstroGlobal): Response | null {
  return Astro.locals.user ? null : redirectToSignIn(Astro);
}
