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
    plugins: [directRoutes()],
  },
});
