import { CONTENT_SECURITY_POLICY } from './csp.mjs';

/** Headers every response carries: added by src/middleware.ts, and by src/cli/serve.mjs for direct routes. */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  // Pages carry Astro's own policy with the hashes of their inline scripts and styles (it is set first, so it is kept).
  'content-security-policy': CONTENT_SECURITY_POLICY,
};
