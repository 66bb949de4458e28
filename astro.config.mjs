// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { fileURLToPath } from 'node:url';
import { CSP_DIRECTIVES } from './src/lib/http/csp.mjs';

/**
 * Adds src/direct-routes.ts to the server build as dist/server/direct-routes.mjs: one more entry
 * of the same build, so it shares the pages' modules (one database, one search cache).
 * @returns {import('vite').Plugin}
 */
function directRoutes() {
  return {
    name: 'portal:direct-routes',
    apply: 'build',
    applyToEnvironment: (environment) => environment.name === 'ssr',
    buildStart() {
      this.emitFile({
        type: 'chunk',
        id: fileURLToPath(new URL('./src/direct-routes.ts', import.meta.url)),
        fileName: 'direct-routes.mjs',
        preserveSignature: 'strict',
      });
    },
  };
}

/**
 * Two things Astro's server runtime redoes on every request although their result never changes
 * within a build (issue 17, measured with `node --cpu-prof` on the credit verification page):
 *  - the CSP digest of each inline style and script of the page (`generateCspDigest`, a
 *    crypto.subtle job on the thread pool each, 3 % of the page's CPU with the promise machinery):
 *    kept by algorithm and content, as the build keeps the hashes it computes itself;
 *  - the dynamic `import()` of the page's module (`_pageN` in virtual:astro:pages): already loaded,
 *    but Node resolves the specifier again, reading package.json scopes (4 % of the CPU): the
 *    module's promise is kept.
 *  - the Content-Security-Policy itself (`renderCspContent`, 3 %): every page copies the build's
 *    ~100 hashes and partitions, dedupes and joins them again; the policy is kept with the lists it
 *    was made from, and served again while a page's lists are element for element the same (a page
 *    that added a hash or directive has different lists and gets its own policy made).
 * Build-time rewrites of Astro's code, so each fails the build loudly if Astro changes the code it
 * rewrites rather than silently measuring nothing.
 * @returns {import('vite').Plugin}
 */
function computedOncePerBuild() {
  const DIGEST = 'async function generateCspDigest(data, algorithm) {';
  const POLICY = 'function renderCspContent(result) {';
  const PAGE = /const (_page\d+) = \(\) => import\(("[^"]+")\);/g;
  return {
    name: 'portal:computed-once-per-build',
    apply: 'build',
    transform(code, id) {
      if (id.replace(/\\/g, '/').endsWith('/astro/dist/core/encryption.js')) {
        if (!code.includes(DIGEST)) this.error('astro/dist/core/encryption.js no longer has generateCspDigest: update portal:computed-once-per-build');
        // distinct inline contents are few (a route's styles): a bound only in case they were not
        const memo = `const cspDigests = new Map();
function generateCspDigest(data, algorithm) {
  const key = algorithm + "\\u0000" + data;
  let digest = cspDigests.get(key);
  if (digest === undefined) {
    if (cspDigests.size >= 2000) cspDigests.clear();
    cspDigests.set(key, (digest = computeCspDigest(data, algorithm)));
    digest.catch(() => cspDigests.delete(key));
  }
  return digest;
}
async function computeCspDigest(data, algorithm) {`;
        return { code: code.replace(DIGEST, memo), map: null };
      }
      if (id.replace(/\\/g, '/').endsWith('/astro/dist/runtime/server/render/csp.js')) {
        if (!code.includes(POLICY)) this.error('astro/dist/runtime/server/render/csp.js no longer has renderCspContent: update portal:computed-once-per-build');
        const memo = `const keptPolicies = new Map();
const policyInputs = (result) => [result.directives, result.scriptDirective.resources, result.scriptDirective.hashes, result.styleDirective.resources, result.styleDirective.hashes, result._metadata.extraScriptHashes, result._metadata.extraStyleHashes];
function renderCspContent(result) {
  const inputs = policyInputs(result);
  const key = String(result.scriptDirective.strictDynamic) + " " + result._metadata.extraScriptHashes.join(" ") + " " + result._metadata.extraStyleHashes.join(" ");
  const kept = keptPolicies.get(key);
  if (kept && kept.inputs.every((list, i) => list.length === inputs[i].length && list.every((entry, j) => entry === inputs[i][j]))) return kept.policy;
  const policy = makeCspContent(result);
  if (keptPolicies.size >= 500) keptPolicies.clear();
  keptPolicies.set(key, { inputs: inputs.map((list) => [...list]), policy });
  return policy;
}
function makeCspContent(result) {`;
        return { code: code.replace(POLICY, memo), map: null };
      }
      if (id === '\0virtual:astro:pages') {
        // (the prerender environment's list is empty: nothing to keep)
        if (!code.match(PAGE) && code.includes('import(')) this.error('virtual:astro:pages no longer lists `const _pageN = () => import(...)`: update portal:computed-once-per-build');
        return { code: code.replace(PAGE, 'let $1_module;\nconst $1 = () => ($1_module ??= import($2));'), map: null };
      }
      return null;
    },
  };
}

/**
 * The benchmarks' trivial page, /bench-trivial, exists only in the build the benchmarks make for
 * themselves (tests/helpers/build.ts with `bench: true`); the shipped app answers it with 404.
 * @returns {import('astro').AstroIntegration}
 */
function benchRoutes() {
  return {
    name: 'portal:bench-routes',
    hooks: {
      'astro:config:setup': ({ injectRoute }) => {
        injectRoute({ pattern: '/bench-trivial', entrypoint: fileURLToPath(new URL('./tests/bench/trivial.astro', import.meta.url)), prerender: false });
      },
    },
  };
}

export default defineConfig({
  integrations: process.env.PORTAL_BENCH_BUILD === '1' ? [benchRoutes()] : [],
  output: 'server',
  // middleware: src/cli/serve.mjs is the HTTP server (static files from a list, not a disk lookup per request)
  adapter: node({ mode: 'middleware' }),
  // Tests build into their own folder so parallel runs never share one dist/.
  outDir: process.env.ASTRO_OUT_DIR ?? './dist',
  server: {
    port: Number(process.env.PORT ?? 4321),
    host: process.env.HOST ?? '127.0.0.1',
  },
  i18n: {
    locales: ['zh-cn', 'en'],
    defaultLocale: 'zh-cn',
    routing: { prefixDefaultLocale: false },
  },
  // The same-origin check for form posts lives in src/middleware.ts, which exempts bearer-token API calls.
  // CSP: Astro puts the policy on each page as a header, with hashes of the scripts and styles it
  // inlines in place of 'unsafe-inline' (src/lib/http/csp.mjs has the other directives).
  security: { checkOrigin: false, csp: { directives: CSP_DIRECTIVES } },
  vite: {
    ssr: { external: ['better-sqlite3', '@node-rs/jieba'] },
    plugins: [directRoutes(), computedOncePerBuild()],
  },
});
