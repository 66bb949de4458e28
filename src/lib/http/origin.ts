/**
 * The site's public address for links that leave the page (emails, feeds, calendars, sitemaps,
 * citations). SITE_URL wins when set, so a server behind a proxy that rewrites Host still mails
 * the right address; otherwise the address the request came in on.
 */
export function publicOrigin(url: URL): string {
  const configured = process.env.SITE_URL?.trim();
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      /* a malformed SITE_URL falls back to the request's origin */
    }
  }
  return url.origin;
}
