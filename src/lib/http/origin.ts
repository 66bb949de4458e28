import { siteOrigin } from './deployment.mjs';

/**
 * The site's public address for links that leave the page (emails, feeds, calendars, sitemaps,
 * citations, JSON-LD): SITE_URL, or the listening address in development. Never the request's
 * Host header, which anyone can set (a forged Host must not put a reset link on another site).
 */
export function publicOrigin(): string {
  return siteOrigin();
}
