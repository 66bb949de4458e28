// Where the site is and which proxies stand in front of it, from configuration only: links that
// leave the site (emails, feeds, calendars, sitemap, citations) and the same-origin check of form
// posts never take the request's Host or Origin header as the site's address.
//
// Plain JavaScript so that src/cli/serve.mjs can refuse to start on a bad configuration before it
// listens, with the same rules the built app then applies. README "Configuration" documents the
// variables.

export class ConfigurationError extends Error {}

const EXAMPLE = 'an origin such as https://portal.example.cn';

/** One configured origin ("https://portal.example.cn"), or a ConfigurationError naming `name`. */
function parseOrigin(name, value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${name} is not a URL: "${value}". Give ${EXAMPLE}.`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigurationError(`${name} must be an http(s) origin with no path: "${value}". Give ${EXAMPLE}.`);
  }
  return url.origin;
}

/** The address this process listens on (HOST, PORT): the development stand-in for SITE_URL. */
export function listeningOrigin(env = process.env) {
  let host = env.HOST || '127.0.0.1';
  if (host === '0.0.0.0' || host === '::') host = 'localhost';
  else if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return `http://${host}:${env.PORT || 4321}`;
}

function isProduction(env) {
  return env.NODE_ENV === 'production';
}

/**
 * The site's public origin: SITE_URL; without it the listening address, except in production,
 * where a missing SITE_URL is a ConfigurationError (the server refuses to start).
 */
export function siteOrigin(env = process.env) {
  const configured = env.SITE_URL?.trim();
  if (configured) return parseOrigin('SITE_URL', configured);
  if (isProduction(env)) {
    throw new ConfigurationError(
      `SITE_URL is required when NODE_ENV=production: set it to the public address people use (${EXAMPLE}). ` +
        'Reset and invitation links, feeds and the same-origin check of forms use it, never the request\'s Host header.',
    );
  }
  return listeningOrigin(env);
}

/**
 * The origins a form post may come from: SITE_URL's, those listed in ALLOWED_HOSTS
 * (comma-separated origins), and in development the listening address.
 */
export function trustedOrigins(env = process.env) {
  const origins = new Set([siteOrigin(env)]);
  for (const entry of (env.ALLOWED_HOSTS ?? '').split(',')) {
    if (entry.trim()) origins.add(parseOrigin('ALLOWED_HOSTS', entry.trim()));
  }
  if (!isProduction(env)) origins.add(listeningOrigin(env));
  return origins;
}

/**
 * How many reverse proxies stand in front of the server (TRUST_PROXY, default 0). Each appends
 * the address it was called from to X-Forwarded-For, so only the last this many entries are
 * written by proxies we trust; anything to their left is whatever the client sent.
 */
export function trustedProxyHops(env = process.env) {
  const value = env.TRUST_PROXY?.trim();
  if (!value) return 0;
  if (!/^\d+$/.test(value)) {
    throw new ConfigurationError(`TRUST_PROXY must be the number of reverse proxies in front of the server (0, 1, 2…), not "${value}".`);
  }
  return Number(value);
}

/** At start: prints what is wrong with the configuration and exits, or returns. */
export function exitUnlessConfigured(env = process.env) {
  try {
    trustedOrigins(env);
    trustedProxyHops(env);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    console.error(`Refusing to start: ${err.message}`);
    process.exit(1);
  }
}
