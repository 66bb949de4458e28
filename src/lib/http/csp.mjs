// The Content-Security-Policy, in one place for its two writers. Astro (security.csp in
// astro.config.mjs) sends it on every page it renders, with script-src and style-src listing
// the hashes of the scripts and styles it inlines, so neither needs 'unsafe-inline'; every other
// response gets SECURITY_HEADERS' copy (src/lib/http/security-headers.ts), which inlines nothing.
// Plain JavaScript because astro.config.mjs reads it.

/** @typedef {Extract<NonNullable<import('astro').AstroUserConfig['security']>['csp'], object>} AstroCsp */

/**
 * Every directive but script-src and style-src, which Astro writes itself on pages.
 * @type {NonNullable<AstroCsp['directives']>}
 */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
];

/** The policy of responses Astro does not render as pages: nothing inline runs or applies. */
export const CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, "script-src 'self'", "style-src 'self'"].join('; ');
