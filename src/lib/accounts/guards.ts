import { localizePath, type Lang } from '~/i18n';

/** Where a page sends a signed-out visitor: the sign-in form, coming back here afterwards. */
export function signInPath(url: URL, lang: Lang): string {
  return `${localizePath('/signin', lang)}?next=${encodeURIComponent(url.pathname + url.search)}`;
}
